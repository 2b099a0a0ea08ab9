#include "e3/search/worker.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "e3/data/atomic_file.h"
#include "e3/search/asha.h"
#include "heartbeat.h"
#include "stoppable_sleep.h"

namespace e3::search {
namespace {

// Heartbeats per timeout: a worker survives a few beats lost to a busy database.
constexpr double kBeatsPerTimeout = 4.0;
// The part of the heartbeat timeout after which a worker whose heartbeat has not reached the
// study stops its trial (heartbeat.h). The rest, half the timeout, is its time to finish the step
// or validation in progress, save and stop before another worker may take the trial over.
constexpr double kOutOfContactFraction = 0.5;

// The errors of `errors` that are not finite numbers, as "mu nan, alpha inf"; "" when all are.
std::string non_finite(const std::vector<TargetError>& errors) {
  std::ostringstream list;
  for (const auto& error : errors) {
    if (!std::isfinite(error.mae)) list << (list.tellp() > 0 ? ", " : "") << error.target << ' ' << error.mae;
  }
  return list.str();
}

// A NaN or infinite validation has no place in the study: SQLite stores a NaN as NULL (and the
// columns are NOT NULL), and ASHA's ordering of a rung is undefined with one in it. The trial
// has diverged: it fails, with this message.
void check_finite(const ValidationReport& report) {
  const std::string errors = non_finite(report.errors);
  if (errors.empty() && std::isfinite(report.score)) return;
  std::ostringstream message;
  message << "the validation after epoch " << report.epoch << " is not finite (score " << report.score;
  if (!errors.empty()) message << "; MAE " << errors;
  message << "): the training diverged";
  throw std::runtime_error(message.str());
}

bool asha_says_continue(StudyStore& store, const StudySettings& settings, const ValidationReport& report) {
  if (!settings.prune) return true;
  const auto rungs = asha_rungs(settings.asha, settings.epochs);
  if (std::find(rungs.begin(), rungs.end(), report.epoch) == rungs.end()) return true;
  return asha_continues(report.score, store.rung_scores(report.epoch), settings.asha.reduction_factor);
}

// The error of a worker whose trial the heartbeat stopped for being out of contact.
StoreError out_of_contact_error(const StudyStore& store, const StudySettings& settings, const Heartbeat& heartbeat,
                                const ClaimedTrial& trial) {
  std::ostringstream message;
  message << std::setprecision(3) << store.description() << ": no heartbeat reached the study database for "
          << kOutOfContactFraction * settings.heartbeat_timeout << " s (half the heartbeat timeout";
  if (!heartbeat.last_error().empty()) message << "; last error: " << heartbeat.last_error();
  message << "): this worker stopped trial " << trial.number << " before another may take it over; it is "
          << "resumed from " << trial.run_dir << " once the database answers again";
  return StoreError(message.str());
}

// Runs one claimed trial (whose claim was sent at `claimed`) to its end; what happened, for the
// log. StoreError when the study's database fails, the trial being left to its heartbeat timeout.
std::string run_trial(StudyStore& store, StudyStore& heartbeat_store, TrialRunner& runner,
                      const StudySettings& settings, const ClaimedTrial& trial, Heartbeat::Clock::time_point claimed,
                      const WorkerOptions& options, const std::atomic<bool>& stop) {
  const std::string& worker = options.worker_id;
  // The trial's configuration as a file that e3cpp train --config reads.
  data::write_file_atomically(trial_config_file(trial.run_dir), trial.config.dump(2) + "\n");

  std::atomic<bool> stop_trial{false};
  Heartbeat heartbeat(heartbeat_store, trial.number, worker, settings.heartbeat_timeout / kBeatsPerTimeout,
                      kOutOfContactFraction * settings.heartbeat_timeout, claimed, stop, stop_trial);
  auto on_validation = [&](const ValidationReport& report) {
    // Out of contact, the trial is stopping: nothing more goes to the study.
    if (heartbeat.out_of_contact()) return false;
    check_finite(report);
    if (!store.record_validation(trial.number, worker, report)) {
      heartbeat.set_lost();
      return false;
    }
    return asha_says_continue(store, settings, report);
  };
  const std::string lost = "lost (requeued while it ran); left to its new worker";
  TrialResult result;
  try {
    result = runner.run(trial.config, trial.run_dir, trial.resume, on_validation, &stop_trial);
  } catch (const StoreError&) {
    if (heartbeat.out_of_contact()) throw out_of_contact_error(store, settings, heartbeat, trial);
    throw;  // the study's database, not the trial, failed: the trial is requeued after its timeout
  } catch (const std::exception& error) {
    if (heartbeat.out_of_contact()) throw out_of_contact_error(store, settings, heartbeat, trial);
    if (heartbeat.lost()) return lost;
    std::string message = error.what();
    std::replace(message.begin(), message.end(), '\n', ' ');
    return store.fail(trial.number, worker, message) ? "failed: " + message : lost;
  }
  // The heartbeat's stop ended the run: the trial is saved, and left to its heartbeat timeout.
  if (heartbeat.out_of_contact()) throw out_of_contact_error(store, settings, heartbeat, trial);
  if (heartbeat.lost()) return lost;
  if (result.outcome == TrialResult::Outcome::complete) {
    const std::string errors = non_finite(result.test);
    if (!errors.empty()) {
      const std::string message = "the test MAE is not finite (" + errors + ")";
      return store.fail(trial.number, worker, message) ? "failed: " + message : lost;
    }
  }
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
    // A database that does not answer within a heartbeat interval stops the worker, as the
    // heartbeat's deadline stops its trial (the worker's calls must end before the trial's
    // takeover). The heartbeat retries at its own pace: its store tries once per call.
    store.set_retry_limit(settings.heartbeat_timeout / kBeatsPerTimeout);
    heartbeat_store.set_retry_limit(0.0);
    const auto claimed = Heartbeat::Clock::now();
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
    log << options.worker_id << ": trial " << trial->number << (trial->resume ? " resumed" : " started")
        << " (attempt " << trial->attempts << ") in " << trial->run_dir << std::endl;
    std::string outcome;
    try {
      outcome = run_trial(store, heartbeat_store, runner, settings, *trial, claimed, options, stop);
    } catch (const StoreError& error) {
      log << options.worker_id << ": trial " << trial->number << " stopped: " << error.what() << std::endl;
      throw;
    }
    log << options.worker_id << ": trial " << trial->number << " " << outcome << std::endl;
    ++summary.trials;
  }
  summary.interrupted = stop;
  return summary;
}

}  // namespace e3::search
