#include "e3/train/readout_choice.h"

#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace e3::train {
namespace {

struct ParsedChoice {
  std::optional<std::string> bare;             // the kind of every target not named
  std::map<data::Target, std::string> named;  // TARGET=KIND
};

void check_kind(const std::string& kind) {
  if (kind != "auto") nn::readout_from_string(kind);
}

ParsedChoice parse(const std::string& choice) {
  ParsedChoice parsed;
  std::stringstream entries(choice);
  std::string entry;
  while (std::getline(entries, entry, ',')) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos) {
      if (parsed.bare) throw std::invalid_argument("two readouts for every target ('" + *parsed.bare + "', '" + entry + "')");
      check_kind(entry);
      parsed.bare = entry;
      continue;
    }
    const auto target = data::parse_target(entry.substr(0, equals));
    const auto kind = entry.substr(equals + 1);
    check_kind(kind);
    if (!parsed.named.emplace(target, kind).second) {
      throw std::invalid_argument(std::string("two readouts for ") + data::target_name(target));
    }
  }
  if (!parsed.bare && parsed.named.empty()) throw std::invalid_argument("no readout given");
  return parsed;
}

nn::Readout resolve(const std::string& kind, data::Target target) {
  if (kind == "auto") {
    const bool intensive = target == data::Target::homo || target == data::Target::lumo || target == data::Target::gap;
    return intensive ? nn::Readout::mean : nn::Readout::sum;
  }
  const auto readout = nn::readout_from_string(kind);
  const bool fits = (readout != nn::Readout::dipole || target == data::Target::mu) &&
                    (readout != nn::Readout::spatial_extent || target == data::Target::r2);
  if (!fits) {
    throw std::invalid_argument("readout " + kind + " builds " +
                                (readout == nn::Readout::dipole ? "a dipole moment (mu)" : "a spatial extent (r2)") +
                                ", not " + data::target_name(target) + " (name the target: mu=dipole, r2=spatial_extent)");
  }
  return readout;
}

}  // namespace

nn::Readout chosen_readout(const std::string& choice, data::Target target) {
  const auto parsed = parse(choice);
  const auto named = parsed.named.find(target);
  return resolve(named != parsed.named.end() ? named->second : parsed.bare.value_or("auto"), target);
}

void check_readout_choice(const std::string& choice, const std::vector<data::Target>& targets) {
  parse(choice);
  for (auto target : targets) chosen_readout(choice, target);
}

}  // namespace e3::train
