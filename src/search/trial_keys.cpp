#include "e3/search/trial_keys.h"

#include <algorithm>
#include <array>
namespace e3::search {

bool is_study_key(const std::string& name) {
  static const std::array<const char*, 6> keys = {"data", "epochs", "seed", "split", "targets", "target"};
  return std::find(keys.begin(), keys.end(), name) != keys.end();
}

const char* fixed_by_the_study(const std::string& name) {
  if (name == "validate_every") {
    return "a trial validates once per epoch (the study records, and ASHA compares, validations by epoch)";
  }
  if (name == "patience") {
    return "a trial trains the study's --epochs (stopping trials that fall behind is --prune asha's job)";
  }
  if (name == "max_minutes") {
    return "a trial trains the study's --epochs (a time limit would stop it, to be requeued and resumed in slices)";
  }
  return nullptr;
}

bool is_representation_key(const std::string& name) {
  return name == "representation" || name == "output_representation";
}

}  // namespace e3::search
