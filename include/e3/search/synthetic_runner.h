#pragma once
// A runner that trains nothing: deterministic synthetic learning curves computed from the
// configuration, for testing the search machinery (claims, heartbeats, requeues, resuming,
// pruning, the leaderboard) in seconds (e3cpp hpsearch --runner synthetic).
//
// Each target's validation MAE after e epochs is final + (start - final) exp(-e / tau): a start
// near half the target's sigma, a time constant tau of 0.7 to 4.7 epochs (so curves cross, as
// real ones do), and a final error that is lowest for learning rates near 3e-3 and otherwise
// set by a hash of the configuration, different for every target. The sigmas are arbitrary
// (1 for mu, 2 for alpha, ... 12 for Cv, in the thesis' units). The test MAE is the last
// validation MAE within +-2%.
//
// In the run directory: synthetic.json, the checkpoint (the last epoch done, saved after every
// epoch), and events.log, one line per event ("start PID", "resume PID EPOCH", "epoch N PID"),
// which the tests read to check that no trial ran twice and that a resumed trial went on
// where it stopped.

#include "e3/search/trial_runner.h"

namespace e3::search {

class SyntheticRunner : public TrialRunner {
 public:
  /// Each epoch takes `epoch_seconds` (sleeping, stoppable), so that workers overlap in tests.
  explicit SyntheticRunner(double epoch_seconds = 0.0) : epoch_seconds_(epoch_seconds) {}

  TrialResult run(const nlohmann::json& config, const std::string& run_dir, bool resume,
                  const ValidationCallback& on_validation, const std::atomic<bool>* stop) override;
  void check(const nlohmann::json& config, const std::string& origin) const override;

  /// The validation errors of `config` after `epoch` epochs.
  static std::vector<TargetError> validation_errors(const nlohmann::json& config, int64_t epoch);
  /// The test errors of `config` trained for `epoch` epochs.
  static std::vector<TargetError> test_errors(const nlohmann::json& config, int64_t epoch);

 private:
  double epoch_seconds_;
};

}  // namespace e3::search
