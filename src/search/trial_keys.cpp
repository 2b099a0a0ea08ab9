#include "e3/search/trial_keys.h"

#include <algorithm>
#include <array>
namespace e3::search {

bool is_study_key(const std::string& name) {
  static const std::array<const char*, 6> keys = {"data", "epochs", "seed", "split", "targets", "target"};
  return std::find(keys.begin(), keys.end(), name) != keys.end();
}

bool is_representation_key(const std::string& name) {
  return name == "representation" || name == "output_representation";
}

}  // namespace e3::search
