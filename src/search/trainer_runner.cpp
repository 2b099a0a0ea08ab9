// Adapts train::Trainer (include/e3/train/trainer.h) to TrialRunner: the trial's configuration
// is a training configuration as it is, the trainer's validation observer reports to the study
// and stops a pruned trial, and the run's best model gives the test errors.

#include "e3/search/trainer_runner.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "e3/search/study.h"
#include "e3/train/trained_run.h"
#include "e3/train/trainer.h"

namespace e3::search {
namespace {

// The errors of `metrics` (one per target of the trainer), each with the spread the trainer
// normalizes its score by.
std::vector<TargetError> target_errors(const train::Trainer& trainer, const std::vector<train::ErrorMetrics>& metrics) {
  std::vector<TargetError> errors;
  for (size_t t = 0; t < trainer.targets().size(); ++t) {
    const auto target = trainer.targets()[t];
    errors.push_back(
        {data::target_name(target), metrics.at(t).mae, trainer.state().score_scales.at(t), data::thesis_unit(target)});
  }
  return errors;
}

ValidationReport report_of(const train::Trainer& trainer, const train::ValidationRecord& record) {
  ValidationReport report;
  // Trials validate once per epoch: the record's epoch is a whole number.
  report.epoch = std::llround(record.epoch);
  report.molecules_seen = record.molecules;
  report.errors = target_errors(trainer, record.targets);
  report.score = record.score;
  return report;
}

}  // namespace

void TrainerRunner::check(const nlohmann::json& config, const std::string& origin) const {
  try {
    train::TrainConfig::from_json(config, origin).validate();
  } catch (const train::ConfigError& error) {
    const std::string what = error.what();
    // validate() names the key but not where the configuration came from.
    throw train::ConfigError(what.rfind(origin, 0) == 0 ? what : origin + ": " + what);
  }
}

TrialResult TrainerRunner::run(const nlohmann::json& config, const std::string& run_dir, bool resume,
                               const ValidationCallback& on_validation, const std::atomic<bool>* stop) {
  const std::string log_path = run_dir + ".log";
  std::ofstream log(log_path, std::ios::app);
  if (!log) throw std::runtime_error(log_path + ": cannot open the trial's log (" + std::strerror(errno) + ")");
  std::optional<train::Trainer> trainer;
  if (resume && std::filesystem::exists(run_dir + "/last.pt")) {
    trainer.emplace(train::Trainer::resume(run_dir, {}, log));
  } else {
    std::filesystem::remove_all(run_dir);  // a start that died before its first checkpoint
    trainer.emplace(train::Trainer::start(train::TrainConfig::from_json(config, trial_config_file(run_dir)), run_dir, log));
  }
  TrialResult result;
  auto finish = [&](TrialResult::Outcome outcome) {
    result.outcome = outcome;
    result.best_score = trainer->state().best_score;
    result.epochs_done = trainer->state().epoch;
    return result;
  };
  // A resumed trial reports its last validation again: its worker may have died between
  // saving it and reporting it.
  const auto& history = trainer->state().history;
  if (resume && !history.empty() && !on_validation(report_of(*trainer, history.back()))) {
    return finish(TrialResult::Outcome::pruned);
  }
  trainer->set_validation_observer(
      [&](const train::ValidationRecord& record) { return on_validation(report_of(*trainer, record)); });
  train::Progress progress(log, /*interactive=*/false);
  switch (trainer->run(progress, stop)) {
    case train::Trainer::Outcome::finished:
    case train::Trainer::Outcome::early_stopped: break;
    case train::Trainer::Outcome::stopped_by_observer: return finish(TrialResult::Outcome::pruned);
    case train::Trainer::Outcome::interrupted:
    case train::Trainer::Outcome::time_limit:
    case train::Trainer::Outcome::step_limit: return finish(TrialResult::Outcome::interrupted);
  }

  // The test error of the best model, as e3cpp eval computes it.
  const auto& test = trainer->split().test;
  if (test.empty()) throw train::ConfigError(run_dir + ".json: 'split' leaves no test molecules to compare trials on");
  auto run = train::TrainedRun::open(run_dir);
  result.test = target_errors(*trainer, run.evaluate(trainer->dataset(), test));
  return finish(TrialResult::Outcome::complete);
}

}  // namespace e3::search
