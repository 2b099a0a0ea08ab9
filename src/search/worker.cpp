#include "e3/search/worker.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "e3/data/atomic_file.h"
#include "e3/search/asha.h"
#include "heartbeat.h"
#include "stoppable_sleep.h"

namespace e3::search {
namespace {

// Heartbeats per timeout: a worker survives a few beats lost to a busy database.
constexpr double kBeatsPerTimeout = 4.0;

bool asha_says_continue(StudyStore& store, const StudySettings& settings, const ValidationReport& report) {
  if (!settings.prune) return true;
  const auto rungs = asha_rungs(settings.asha, settings.epochs);
  if (std::find(rungs.begin(), rungs.end(), report.epoch) == rungs.end()) return true;
  return asha_continues(report.score, store.rung_scores(report.epoch), settings.asha.reduction_factor);
}

// Runs one claimed trial to its end; what happened, for the log.
std::string run_trial(StudyStore& store, StudyStore& heartbeat_store, TrialRunner& runner,
                      const StudySettings& settings, const ClaimedTrial& trial, const WorkerOptions& options,
                      const std::atomic<bool>& stop) {
  const std::string& worker = options.worker_id;
  // The trial's configuration as a file that e3cpp train --config reads.
  data::write_file_atomically(trial_config_file(trial.run_dir), trial.config.dump(2) + "\n");

  std::atomic<bool> stop_trial{false};
  Heartbeat heartbeat(heartbeat_store, trial.number, worker, settings.heartbeat_timeout / kBeatsPerTimeout, stop,
                      stop_trial);
  auto on_validation = [&](const ValidationReport& report) {
    if (!store.record_validation(trial.number, worker, report)) {
      heartbeat.set_lost();
      return false;
    }
    return asha_says_continue(store, settings, report);
  };
  const std::string lost = "lost (requeued while it ran); left to its new worker";
  TrialResult result;
  try {
    result = runner.run(trial.config, trial.run_dir, trial.attempts > 1, on_validation, &stop_trial);
  } catch (const StoreError&) {
    throw;  // the study's database, not the trial, failed: the trial is requeued after its timeout
  } catch (const std::exception& error) {
    if (heartbeat.lost()) return lost;
    std::string message = error.what();
    std::replace(message.begin(), message.end(), '\n', ' ');
    return store.fail(trial.number, worker, message) ? "failed: " + message : lost;
  }
  if (heartbeat.lost()) return lost;
  std::ostringstream outcome;
  outcome << std::setprecision(4);
  switch (result.outcome) {
    case TrialResult::Outcome::interrupted:
      if (!store.release(trial.number, worker)) return lost;
      outcome << "stopped after " << result.epochs_done << " epochs, saved and requeued";
      break;
    case TrialResult::Outcome::pruned:
      if (!store.finish(trial.number, worker, result)) return lost;
      outcome << "pruned after " << result.epochs_done << " epochs (score " << result.best_score << ")";
      break;
    case TrialResult::Outcome::complete:
      if (!store.finish(trial.number, worker, result)) return lost;
      outcome << "complete, " << result.epochs_done << " epochs (best score " << result.best_score
              << ", test normalized MAE " << normalized_error(result.test) << ")";
      break;
  }
  return outcome.str();
}

}  // namespace

std::string default_worker_id() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "localhost") + ":" + std::to_string(getpid());
}

void claim_runs_directory(const std::string& runs_dir, const StudyDefinition& study, const std::string& description) {
  std::filesystem::create_directories(runs_dir);
  const std::string marker = runs_dir + "/study.json";
  if (std::filesystem::exists(marker)) {
    nlohmann::json owner;
    try {
      owner = nlohmann::json::parse(std::ifstream(marker));
    } catch (const nlohmann::json::exception&) {
      throw std::runtime_error(marker + ": not the record of a study's runs (invalid JSON)");
    }
    if (owner.value("uid", "") != study.uid) {
      throw std::runtime_error(runs_dir + " holds the trials of another study, " + owner.value("study", "?") +
                               ": give this one its own --runs");
    }
    return;
  }
  data::write_file_atomically(marker, nlohmann::json{{"study", description}, {"uid", study.uid}}.dump(2) + "\n");
}

WorkerSummary run_worker(StudyStore& store, StudyStore& heartbeat_store, TrialRunner& runner,
                         const WorkerOptions& options, const std::atomic<bool>& stop, std::ostream& log) {
  WorkerSummary summary;
  while (!stop) {
    const auto definition = store.definition();
    if (!definition) throw StoreError(store.description() + ": the study does not exist");
    if (summary.trials == 0) claim_runs_directory(options.runs_dir, *definition, store.description());
    const auto& settings = definition->settings;
    const auto trial = store.claim(options.worker_id, options.runs_dir, settings.heartbeat_timeout, settings.max_attempts);
    if (!trial) {
      const auto trials = store.trials();
      const bool unfinished = std::any_of(trials.begin(), trials.end(), [](const TrialRecord& t) {
        return t.state == TrialState::queued || t.state == TrialState::running;
      });
      if (!unfinished) break;
      // Others run the last trials; one of them may die, and its trial come back to the queue
      // (looked for at least as often as heartbeats are due).
      sleep_unless_stopped(std::min(options.poll_seconds, settings.heartbeat_timeout / kBeatsPerTimeout), &stop);
      continue;
    }
    log << options.worker_id << ": trial " << trial->number << (trial->attempts > 1 ? " resumed" : " started")
        << " (attempt " << trial->attempts << ") in " << trial->run_dir << std::endl;
    const std::string outcome = run_trial(store, heartbeat_store, runner, settings, *trial, options, stop);
    log << options.worker_id << ": trial " << trial->number << " " << outcome << std::endl;
    ++summary.trials;
  }
  summary.interrupted = stop;
  return summary;
}

}  // namespace e3::search
