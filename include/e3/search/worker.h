#pragma once
// A worker of a study: claims a trial, trains it through a TrialRunner with a heartbeat, records
// its validations and result, prunes it when ASHA says so, and goes on to the next, until no
// trial is queued or running. Any number of workers, on one machine or many, share a study.

#include <atomic>
#include <ostream>
#include <string>

#include "e3/search/study_store.h"
#include "e3/search/trial_runner.h"

namespace e3::search {

struct WorkerOptions {
  std::string worker_id;      ///< unique among the study's workers (default_worker_id())
  std::string runs_dir;       ///< where this worker puts its trials' run directories
  double poll_seconds = 1.0;  ///< how often to look again while others run the last trials
};

/// What a worker did.
struct WorkerSummary {
  int64_t trials = 0;        ///< trials it ran (to any end)
  bool interrupted = false;  ///< it stopped because `stop` became true
};

/// "HOST:PID".
std::string default_worker_id();

/// Makes `runs_dir` the runs directory of the study (recorded in RUNS/study.json), creating it
/// when needed; std::runtime_error when it holds another study's trials (their run directories
/// would be overwritten).
void claim_runs_directory(const std::string& runs_dir, const StudyDefinition& study, const std::string& description);

/// Works on the study in `store` until none of its trials is queued or running, or until `stop`
/// becomes true (the running trial is saved and put back in the queue, to be resumed by whoever
/// claims it next, without counting as an attempt). `heartbeat_store` is a second connection to
/// the same study, for the heartbeat thread. A trial whose runner throws, or whose validation or
/// test error is not a finite number, is recorded as failed with the message; the worker goes
/// on. One line per trial event goes to `log`.
///
/// StoreError when the database fails: when `store` cannot reach it for a heartbeat interval
/// (a quarter of the study's heartbeat timeout; the stores' retry limits are set here), or when
/// no heartbeat has reached it for half the heartbeat timeout. The running trial is then
/// stopped (and saved) before another worker may take it over, and left to the timeout.
WorkerSummary run_worker(StudyStore& store, StudyStore& heartbeat_store, TrialRunner& runner,
                         const WorkerOptions& options, const std::atomic<bool>& stop, std::ostream& log);

}  // namespace e3::search
