#pragma once
// What a study needs from training: a TrialRunner trains one trial's configuration in its run
// directory, reports every validation, and can stop and later resume.
//
// A trial's score (lower is better) is the mean over its targets of the validation MAE divided
// by the target's spread sigma: the standard deviation over the training molecules of
// t_m - p_m, the target less its reference bias (2.58) (for targets without atom references,
// of t_m itself). Errors on targets of different units and scales then count alike (1 is about
// what predicting the mean gives); subtracting p_m keeps the energies' spread from being that
// of molecule sizes. ASHA prunes on it; the leaderboard breaks ties with the same mean of
// normalized test MAEs.

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace e3::search {

/// The error on one target.
struct TargetError {
  std::string target;  ///< QM9 name, e.g. "mu"
  double mae = 0.0;    ///< mean absolute error, in `unit`
  double sigma = 1.0;  ///< the target's spread over the training molecules, in `unit` (see above)
  std::string unit;    ///< the thesis' unit (Table 2.1)
};

/// The mean over `errors` of mae / sigma (at least one error).
double normalized_error(const std::vector<TargetError>& errors);

/// One validation of a trial, after `epoch` epochs (counted from 1).
struct ValidationReport {
  int64_t epoch = 0;
  int64_t molecules_seen = 0;          ///< training molecules processed so far
  std::vector<TargetError> errors;     ///< validation MAE of each target
  double score = 0.0;                  ///< normalized_error(errors)
};

/// Called after every validation; returns whether the trial should go on (false: prune it).
using ValidationCallback = std::function<bool(const ValidationReport&)>;

/// How a trial's run ended.
struct TrialResult {
  enum class Outcome { complete, pruned, interrupted };
  Outcome outcome = Outcome::complete;
  std::vector<TargetError> test;  ///< complete: the test MAE of each target; empty otherwise
  double best_score = 0.0;        ///< the lowest validation score reported
  int64_t epochs_done = 0;
};

class TrialRunner {
 public:
  virtual ~TrialRunner() = default;

  /// Trains `config` (a flat training configuration, search/trial_keys.h) in `run_dir`.
  /// With `resume`, continues from the last checkpoint in `run_dir` and first reports again
  /// the last validation that checkpoint holds (a worker that died between saving and
  /// reporting may have lost it); without a checkpoint there, starts afresh. Calls
  /// `on_validation` after every epoch, after that epoch's checkpoint is saved, and stops
  /// (outcome pruned) when it returns false. When `stop` becomes true, saves and returns
  /// (outcome interrupted). Throws std::exception when the trial cannot go on (a bad
  /// configuration, a diverging loss): the trial has failed.
  virtual TrialResult run(const nlohmann::json& config, const std::string& run_dir, bool resume,
                          const ValidationCallback& on_validation, const std::atomic<bool>* stop) = 0;

  /// Throws std::exception, one line starting with `origin` and naming the key, when run()
  /// would reject `config` before training; so that a study whose trials cannot run is
  /// refused before it starts.
  virtual void check(const nlohmann::json& config, const std::string& origin) const = 0;
};

/// The QM9 target names a configuration's "targets" key stands for ("all": Table 2.1's twelve,
/// or a comma-separated list); std::invalid_argument naming a target that does not exist.
std::vector<std::string> parse_target_list(const std::string& targets);

}  // namespace e3::search
