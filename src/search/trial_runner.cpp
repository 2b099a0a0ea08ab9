#include "e3/search/trial_runner.h"

#include <sstream>
#include <stdexcept>

#include "e3/data/targets.h"

namespace e3::search {

double normalized_error(const std::vector<TargetError>& errors) {
  if (errors.empty()) throw std::invalid_argument("normalized_error: no targets");
  double sum = 0.0;
  for (const auto& error : errors) sum += error.mae / error.sigma;
  return sum / static_cast<double>(errors.size());
}

std::vector<std::string> parse_target_list(const std::string& targets) {
  std::vector<std::string> names;
  for (auto target : data::parse_target_list(targets)) names.emplace_back(data::target_name(target));
  return names;
}

}  // namespace e3::search
