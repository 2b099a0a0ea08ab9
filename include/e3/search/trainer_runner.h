#pragma once
// The runner of real trials: trains a trial's configuration as `e3cpp train --config` would,
// in a normal run directory (include/e3/train/run_directory.h), so that e3cpp eval, predict and
// train --resume work on a trial as on any run. The trainer's messages go to RUN.log beside the
// run directory (a log that cannot be opened fails the trial, naming it and why).
//
// A trial is resumed from the run's last.pt (saved at every validation and on stopping); every
// validation feeds the study (pruning) with the trainer's own score (train::ValidationRecord:
// the mean MAE / sigma of this header's TargetError); a complete trial's test MAE is that of
// the run's best model on its test split, as e3cpp eval reports it.

#include "e3/search/trial_runner.h"

namespace e3::search {

class TrainerRunner : public TrialRunner {
 public:
  TrialResult run(const nlohmann::json& config, const std::string& run_dir, bool resume,
                  const ValidationCallback& on_validation, const std::atomic<bool>* stop) override;
  void check(const nlohmann::json& config, const std::string& origin) const override;
};

}  // namespace e3::search
