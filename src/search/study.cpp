#include "e3/search/study.h"

#include <cstdio>
#include <stdexcept>

namespace e3::search {
namespace {

template <typename T>
T member(const nlohmann::json& json, const char* name, const std::string& origin) {
  const auto found = json.find(name);
  if (found == json.end()) throw std::runtime_error(origin + ": the study's settings lack '" + name + "'");
  try {
    return found->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error(origin + ": the study's setting '" + name + "' has the wrong type: " + found->dump());
  }
}

// The settings that define the study (everything but trials, heartbeat_timeout, max_attempts).
nlohmann::json definition_settings(const StudySettings& settings) {
  auto json = settings.to_json();
  for (const char* operational : {"trials", "heartbeat_timeout", "max_attempts"}) json.erase(operational);
  return json;
}

}  // namespace

nlohmann::json StudySettings::to_json() const {
  return {{"epochs", epochs},
          {"data", data},
          {"targets", targets},
          {"split", split},
          {"runner", runner},
          {"synthetic_epoch_seconds", synthetic_epoch_seconds},
          {"prune", prune ? "asha" : "none"},
          {"asha_reduction_factor", asha.reduction_factor},
          {"asha_min_epochs", asha.min_epochs},
          {"trials", trials},
          {"heartbeat_timeout", heartbeat_timeout},
          {"max_attempts", max_attempts}};
}

StudySettings StudySettings::from_json(const nlohmann::json& json, const std::string& origin) {
  if (!json.is_object()) throw std::runtime_error(origin + ": the study's settings are not a JSON object");
  StudySettings settings;
  settings.epochs = member<int64_t>(json, "epochs", origin);
  settings.data = member<std::string>(json, "data", origin);
  settings.targets = member<std::string>(json, "targets", origin);
  settings.split = member<std::string>(json, "split", origin);
  settings.runner = member<std::string>(json, "runner", origin);
  settings.synthetic_epoch_seconds = member<double>(json, "synthetic_epoch_seconds", origin);
  settings.prune = member<std::string>(json, "prune", origin) == "asha";
  settings.asha.reduction_factor = member<int64_t>(json, "asha_reduction_factor", origin);
  settings.asha.min_epochs = member<int64_t>(json, "asha_min_epochs", origin);
  settings.trials = member<int64_t>(json, "trials", origin);
  settings.heartbeat_timeout = member<double>(json, "heartbeat_timeout", origin);
  settings.max_attempts = member<int64_t>(json, "max_attempts", origin);
  return settings;
}

nlohmann::json StudyDefinition::trial_config(int64_t number) const {
  auto config = space.sample(seed, number);
  if (!settings.data.empty()) config["data"] = settings.data;
  config["epochs"] = settings.epochs;
  config["targets"] = settings.targets;
  if (!settings.split.empty()) config["split"] = settings.split;
  // One seed for every trial: the same split (their test errors compare) and data order.
  config["seed"] = seed;
  return config;
}

std::string definition_difference(const StudyDefinition& a, const StudyDefinition& b) {
  if (a.seed != b.seed) return "the seed (" + std::to_string(a.seed) + " vs " + std::to_string(b.seed) + ")";
  // Compared as plain JSON objects: the order of the keys in a space file does not matter.
  const nlohmann::json space_a = nlohmann::json::parse(a.space.to_json().dump());
  const nlohmann::json space_b = nlohmann::json::parse(b.space.to_json().dump());
  if (space_a != space_b) {
    for (const auto& [key, value] : space_a.items()) {
      if (!space_b.contains(key)) return "the search space (" + key + " is only in one)";
      if (space_b[key] != value) return "the search space (" + key + ": " + value.dump() + " vs " + space_b[key].dump() + ")";
    }
    for (const auto& [key, value] : space_b.items()) {
      if (!space_a.contains(key)) return "the search space (" + key + " is only in one)";
    }
  }
  const auto settings_a = definition_settings(a.settings);
  const auto settings_b = definition_settings(b.settings);
  for (const auto& [key, value] : settings_a.items()) {
    if (settings_b[key] != value) return "the " + key + " (" + value.dump() + " vs " + settings_b[key].dump() + ")";
  }
  return "";
}

std::string trial_name(int64_t number) {
  char name[32];
  std::snprintf(name, sizeof(name), "trial-%04lld", static_cast<long long>(number));
  return name;
}

std::string trial_config_file(const std::string& run_dir) { return run_dir + ".json"; }

}  // namespace e3::search
