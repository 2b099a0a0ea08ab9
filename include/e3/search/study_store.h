#pragma once
// Where a study lives: a database that every worker of the study shares, as Optuna's storages.
//
//   an SQLite file (a path)          the embedded default: any number of worker processes on one
//                                    machine (WAL journal, a busy timeout, BEGIN IMMEDIATE for
//                                    every write). Not on a network file system: its locks are
//                                    not reliable there.
//   postgresql://user@host:port/db   a PostgreSQL server (libpq): workers on any number of
//                                    machines. A trial is claimed with SELECT ... FOR UPDATE
//                                    SKIP LOCKED.
//
// The schema (version kSchemaVersion, recorded in the database so that a later e3cpp can tell
// an old study from a new one): studies (name, seed, space, settings), trials (number,
// configuration, state, worker, heartbeat, run directory, attempts, epochs done, best score,
// message), validations (per trial and epoch: molecules seen, score, per-target MAE) and results
// (per trial and target: test MAE, sigma, unit). Times are the database's clock, so that the
// heartbeats of workers on machines whose clocks differ still compare.
//
// Every change a worker makes to a trial names the worker and only applies while the trial is
// running under that worker: a worker whose trial was requeued (its heartbeat stopped) and
// claimed by another learns so from the `false` these return, and leaves it alone.
//
// An operation that cannot reach the database (a dropped PostgreSQL connection, an SQLite file
// that cannot be opened, read or written) reconnects and runs again, with growing pauses, for
// the store's retry limit (set_retry_limit). It runs again whole, so that a transaction the
// failure cut short is not half done; but one whose commit reached the database just before the
// connection broke is done twice: a finish(), fail() or release() then returns false (the trial
// is no longer running under the worker), and a claim() leaves the first trial it claimed
// running under a worker that does not run it, until its heartbeat timeout requeues it.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "e3/search/study.h"
#include "e3/search/trial_runner.h"

namespace e3::search {

/// The version of the database layout this e3cpp reads and writes.
inline constexpr int64_t kSchemaVersion = 1;

/// How long a store retries an operation that cannot reach the database, unless told otherwise
/// (StudyStore::set_retry_limit): long enough for a database server's restart.
inline constexpr double kDefaultRetrySeconds = 10.0;

/// A database that cannot be opened or used, or that is not an e3cpp study (or one of another
/// schema version). what() is one line naming the database (a PostgreSQL password left out).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class TrialState { queued, running, pruned, complete, failed };

/// "queued", "running", "pruned", "complete", "failed".
const char* state_name(TrialState state);

/// A trial as the study records it.
struct TrialRecord {
  int64_t number = 0;
  nlohmann::json config;
  TrialState state = TrialState::queued;
  std::string worker;            ///< the worker running it, or that ran it last
  std::string run_dir;           ///< its run directory (absolute), once claimed
  /// Claims that did not end in an interruption (a worker stopped by Ctrl-C puts its trial back
  /// without counting it): claims whose worker died or lost the database, and the running one.
  int64_t attempts = 0;
  int64_t epochs_done = 0;
  std::optional<double> best_score;  ///< the lowest validation score reported
  std::string message;           ///< why it failed
  std::vector<TargetError> test; ///< complete: the test MAE of each target
};

/// A trial a worker has claimed.
struct ClaimedTrial {
  int64_t number = 0;
  nlohmann::json config;
  int64_t attempts = 0;  ///< this claim included (TrialRecord::attempts)
  bool resume = false;   ///< an earlier claim ran it: there may be a run to resume in run_dir
  std::string run_dir;
};

class StudyStore {
 public:
  enum class Mode {
    open,    ///< the database must exist and hold e3cpp studies
    create,  ///< create the database (an SQLite file) and the schema when absent
  };

  /// The study `name` in the database at `location` (an SQLite path or a postgresql:// URL).
  /// StoreError when it cannot be opened, is not a study database, or has another schema version.
  static std::unique_ptr<StudyStore> open(const std::string& location, const std::string& name, Mode mode);

  /// Whether `location` names a PostgreSQL database (postgresql:// or postgres://).
  static bool is_postgresql(const std::string& location);

  /// `location` as messages show it: a PostgreSQL URL without its password
  /// ("postgresql://user:secret@host" -> "postgresql://user@host", "password=..." dropped).
  static std::string without_password(const std::string& location);

  virtual ~StudyStore() = default;

  /// The database and study, for messages (no password).
  virtual std::string description() const = 0;

  /// For how many seconds an operation that cannot reach the database reconnects and runs
  /// again (pausing 0.05 s, then twice as long each time, at most 2 s) before it fails with
  /// StoreError; kDefaultRetrySeconds until set. 0: one try, which reconnects first when the
  /// previous operation lost the database.
  virtual void set_retry_limit(double seconds) = 0;

  /// The study's definition; nullopt when the database has no study of this name.
  virtual std::optional<StudyDefinition> definition() = 0;
  /// Records `definition` unless the study exists already (another process may be creating
  /// it at the same moment); returns the stored one.
  virtual StudyDefinition define(const StudyDefinition& definition) = 0;
  /// Replaces the stored settings (their operational part: trials, heartbeat timeout, attempts).
  virtual void update_settings(const StudySettings& settings) = 0;
  /// Queues the trials `number -> config` that the study does not hold yet.
  virtual void add_trials(const std::vector<std::pair<int64_t, nlohmann::json>>& trials) = 0;

  /// Atomically: requeues every running trial whose heartbeat is older than
  /// `heartbeat_timeout` seconds (or, after `max_attempts` attempts, ends it as failed), then
  /// claims the lowest-numbered queued trial for `worker` with the run directory
  /// `runs_dir`/trial_name(). nullopt when none is queued. No trial is ever claimed by two
  /// workers at once.
  virtual std::optional<ClaimedTrial> claim(const std::string& worker, const std::string& runs_dir,
                                            double heartbeat_timeout, int64_t max_attempts) = 0;
  /// Renews the trial's heartbeat; false when the worker no longer holds it.
  virtual bool heartbeat(int64_t number, const std::string& worker) = 0;
  /// Records a validation (replacing one of the same epoch) and renews the heartbeat; false
  /// when the worker no longer holds the trial.
  virtual bool record_validation(int64_t number, const std::string& worker, const ValidationReport& report) = 0;
  /// The scores every trial reported after `epoch` epochs (an ASHA rung).
  virtual std::vector<double> rung_scores(int64_t epoch) = 0;
  /// Ends the trial as complete (with its test errors) or pruned; false when the worker no
  /// longer holds it.
  virtual bool finish(int64_t number, const std::string& worker, const TrialResult& result) = 0;
  /// Ends the trial as failed with `message`; false when the worker no longer holds it.
  virtual bool fail(int64_t number, const std::string& worker, const std::string& message) = 0;
  /// Puts a trial the worker stopped (interrupted) back in the queue, to be resumed; the claim
  /// does not count as an attempt. False when the worker no longer holds it.
  virtual bool release(int64_t number, const std::string& worker) = 0;

  /// Every trial, by number, with its test errors.
  virtual std::vector<TrialRecord> trials() = 0;
  /// The validations of trial `number`, by epoch.
  virtual std::vector<ValidationReport> validations(int64_t number) = 0;
};

}  // namespace e3::search
