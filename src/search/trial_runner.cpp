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
  if (targets == "all") {
    for (auto target : data::all_targets()) names.emplace_back(data::target_name(target));
    return names;
  }
  std::istringstream list(targets);
  for (std::string name; std::getline(list, name, ',');) {
    data::parse_target(name);
    for (const auto& seen : names) {
      if (seen == name) throw std::invalid_argument("target " + name + " is listed twice");
    }
    names.push_back(name);
  }
  if (names.empty()) throw std::invalid_argument("no targets: give 'all' or a comma-separated list such as mu,alpha");
  return names;
}

}  // namespace e3::search
