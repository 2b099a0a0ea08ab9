#include "e3/search/study_setup.h"

#include <filesystem>
#include <stdexcept>
#include <utility>
#include <vector>

#include "e3/search/synthetic_runner.h"
#include "e3/search/trainer_runner.h"

namespace e3::search {

std::unique_ptr<TrialRunner> make_runner(const StudySettings& settings) {
  if (settings.runner == "synthetic") return std::make_unique<SyntheticRunner>(settings.synthetic_epoch_seconds);
  return std::make_unique<TrainerRunner>();
}

std::string default_runs_directory(const std::string& location, const std::string& name) {
  namespace fs = std::filesystem;
  if (StudyStore::is_postgresql(location)) return (fs::current_path() / (name + "-runs")).string();
  // Named after the database file too: two studies of one name in two files beside each other
  // do not share it.
  const fs::path database = fs::absolute(location).lexically_normal();
  return (database.parent_path() / (database.stem().string() + "-" + name + "-runs")).string();
}

StudyDefinition prepare_study(StudyStore& store, const std::optional<StudyDefinition>& stored,
                              const StudyDefinition& requested) {
  StudyDefinition definition = stored ? *stored : requested;
  if (stored) {
    const std::string difference = definition_difference(*stored, requested);
    if (!difference.empty()) {
      throw std::runtime_error(store.description() + " exists with another definition: " + difference +
                               "; leave the option out to resume it, or give --name for a new study");
    }
    if (requested.settings.trials < stored->settings.trials) {
      throw std::invalid_argument("--trials " + std::to_string(requested.settings.trials) + ": the study has " +
                                  std::to_string(stored->settings.trials) + " trials already");
    }
    definition.settings = requested.settings;
  }
  // Every new trial's configuration must be one the runner accepts, before anything starts.
  const auto runner = make_runner(definition.settings);
  const int64_t first_new = stored ? stored->settings.trials : 0;
  std::vector<std::pair<int64_t, nlohmann::json>> trials;
  for (int64_t number = first_new; number < definition.settings.trials; ++number) {
    trials.emplace_back(number, definition.trial_config(number));
    runner->check(trials.back().second, "trial " + std::to_string(number));
  }
  if (!stored) {
    const auto created = store.define(definition);
    // Another process may have created it a moment before.
    const std::string difference = definition_difference(created, definition);
    if (!difference.empty()) throw std::runtime_error(store.description() + " was just created with " + difference);
    definition.uid = created.uid;
  } else if (stored->settings.to_json() != definition.settings.to_json()) {
    store.update_settings(definition.settings);
  }
  store.add_trials(trials);
  return definition;
}

}  // namespace e3::search
