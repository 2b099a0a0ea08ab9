// Adapts train::Trainer (include/e3/train/trainer.h) to TrialRunner.
//
// Today's trainer trains one L-Net target and validates at the end of each epoch without a
// callback, so this adapter (1) turns the trial's "model": "lnet" and single "targets" into the
// trainer's "target", and (2) runs one epoch at a time (Trainer::run with a step limit of the
// epoch's remaining batches), reporting the epoch's validation in between. The multi-target
// trainer (issue 9) replaces both: it takes "model" and "targets" itself and calls back after
// every validation with each target's MAE and sigma.

#include "e3/search/trainer_runner.h"

#include <filesystem>
#include <fstream>
#include <optional>

#include "e3/data/sampler.h"
#include "e3/data/statistics.h"
#include "e3/search/study.h"
#include "e3/train/metrics.h"
#include "e3/train/trained_run.h"
#include "e3/train/trainer.h"

namespace e3::search {
namespace {

// The configuration in today's e3cpp train keys.
train::TrainConfig single_target_config(nlohmann::json config, const std::string& origin) {
  if (config.contains("model")) {
    if (config["model"] != "lnet") {
      throw train::ConfigError(origin + ": 'model' " + config["model"].dump() +
                               ": this e3cpp trains model lnet only (mlpnet comes with the multi-target trainer)");
    }
    config.erase("model");
  }
  if (config.contains("targets")) {
    const auto targets = parse_target_list(config["targets"].get<std::string>());
    if (targets.size() != 1) {
      throw train::ConfigError(origin + ": 'targets' " + config["targets"].dump() +
                               ": this e3cpp's trainer learns one target at a time");
    }
    config.erase("targets");
    config["target"] = targets.front();
  }
  return train::TrainConfig::from_json(config, origin);
}

// The last validation's error, with the target's spread over the training molecules.
std::vector<TargetError> validation_errors(const train::Trainer& trainer) {
  const auto target = trainer.target();
  const double sigma = data::target_statistics(trainer.dataset(), trainer.split().train, target, /*per_atom=*/false).std;
  return {{data::target_name(target), trainer.state().history.back().val_mae, sigma, data::thesis_unit(target)}};
}

}  // namespace

void TrainerRunner::check(const nlohmann::json& config, const std::string& origin) const {
  try {
    single_target_config(config, origin).validate();
  } catch (const train::ConfigError& error) {
    const std::string what = error.what();
    // validate() names the key but not where the configuration came from.
    throw train::ConfigError(what.rfind(origin, 0) == 0 ? what : origin + ": " + what);
  }
}

TrialResult TrainerRunner::run(const nlohmann::json& config, const std::string& run_dir, bool resume,
                               const ValidationCallback& on_validation, const std::atomic<bool>* stop) {
  std::ofstream log(run_dir + ".log", std::ios::app);
  std::optional<train::Trainer> trainer;
  if (resume && std::filesystem::exists(run_dir + "/last.pt")) {
    trainer.emplace(train::Trainer::resume(run_dir, {}, log));
  } else {
    std::filesystem::remove_all(run_dir);  // a start that died before its first checkpoint
    trainer.emplace(train::Trainer::start(single_target_config(config, trial_config_file(run_dir)), run_dir, log));
  }
  train::Progress progress(log, /*interactive=*/false);

  TrialResult result;
  // Reports the last epoch's validation (single target: the score is its MAE / sigma).
  auto report = [&] {
    const auto& state = trainer->state();
    ValidationReport validation;
    validation.epoch = state.epoch;
    validation.molecules_seen = state.epoch * static_cast<int64_t>(trainer->split().train.size());
    validation.errors = validation_errors(*trainer);
    validation.score = normalized_error(validation.errors);
    result.epochs_done = state.epoch;
    result.best_score = state.best_val_mae / validation.errors.front().sigma;
    return on_validation(validation);
  };
  if (!trainer->state().history.empty() && !report()) {
    result.outcome = TrialResult::Outcome::pruned;
    return result;
  }

  const auto& tc = trainer->config();
  const data::BatchSampler sampler(trainer->split().train, static_cast<size_t>(tc.integer("batch_size")), true,
                                   static_cast<uint64_t>(tc.integer("seed")));
  while (trainer->state().epoch < tc.integer("epochs")) {
    const auto remaining = static_cast<int64_t>(sampler.num_batches()) - trainer->state().batch;
    const auto outcome = trainer->run(progress, stop, remaining);
    if (outcome == train::Trainer::Outcome::interrupted || outcome == train::Trainer::Outcome::time_limit) {
      result.outcome = TrialResult::Outcome::interrupted;
      return result;
    }
    if (!report()) {
      result.outcome = TrialResult::Outcome::pruned;
      return result;
    }
  }

  // The test error of the best epoch's model, as e3cpp eval computes it.
  auto run = train::TrainedRun::open(run_dir);
  const auto& dataset = trainer->dataset();
  const auto& test = trainer->split().test;
  if (test.empty()) throw train::ConfigError(run_dir + ".json: 'split' leaves no test molecules to compare trials on");
  std::vector<double> targets;
  for (size_t index : test) targets.push_back(dataset[index].target(run.target()));
  const auto metrics = train::error_metrics(run.predict(dataset, test), targets);
  result.test = validation_errors(*trainer);
  result.test.front().mae = metrics.mae;
  result.outcome = TrialResult::Outcome::complete;
  return result;
}

}  // namespace e3::search
