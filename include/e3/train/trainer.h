#pragma once
// Training an L·Net on one QM9 target (thesis Section 3.1): Adam on the mean squared error
// of the predictions, epoch after epoch over a seeded shuffle of the training split, with the
// validation MAE measured after every epoch.
//
// The loss is the mean over a batch of (t^_m - t_m)^2 / sigma^2, sigma the standard deviation
// of (2.59) on the training split: the mean squared error in units in which the training
// targets have unit spread (Adam's steps do not depend on that scale).
//
// Everything a run needs to continue is saved in RUN/last.pt at the end of every epoch, at
// least every checkpoint_minutes within one, and when training stops early (time limit,
// interruption): a resumed run continues exactly as if it had not stopped, because the data
// order of an epoch depends only on (seed, epoch). A run killed outright loses at most
// checkpoint_minutes of training.

#include <torch/optim/adam.h>

#include <atomic>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "e3/data/dataset.h"
#include "e3/data/split.h"
#include "e3/data/targets.h"
#include "e3/models/lnet.h"
#include "e3/train/checkpoint.h"
#include "e3/train/config.h"
#include "e3/train/progress.h"
#include "e3/train/run_directory.h"

namespace e3::train {

/// Training cannot go on: the loss became NaN or infinite. The last checkpoint is intact.
class TrainingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Trainer {
 public:
  /// Why run() returned.
  enum class Outcome { finished, time_limit, interrupted, step_limit };

  /// A new run in `run_path` (created; it must not hold anything yet) from `config`
  /// (validated here): reads the data, draws and writes the split, measures the statistics
  /// of (2.59) and the neighbour count on the training split, builds the model (seeded) and
  /// writes config.json with every value resolved and a first last.pt. Messages go to `log`.
  static Trainer start(TrainConfig config, const std::string& run_path, std::ostream& log);

  /// The run in `run_path`, from its last.pt. `overrides` (key, value as text) may change
  /// only epochs, max_minutes, checkpoint_minutes and data; ConfigError for any other key.
  static Trainer resume(const std::string& run_path, const std::vector<std::pair<std::string, std::string>>& overrides,
                        std::ostream& log);

  /// The keys resume() accepts in its overrides.
  static const std::vector<std::string>& resumable_keys();

  /// Trains until every configured epoch is done, max_minutes of this call have passed,
  /// `stop` becomes true, or `max_steps` (when >= 0) optimizer steps were taken in this call;
  /// the state is saved in every case. TrainingError when the loss stops being finite.
  Outcome run(Progress& progress, const std::atomic<bool>* stop = nullptr, int64_t max_steps = -1);

  const TrainConfig& config() const { return config_; }
  const RunDirectory& directory() const { return directory_; }
  const data::Dataset& dataset() const { return dataset_; }
  const data::Split& split() const { return split_; }
  data::Target target() const { return target_; }
  models::LNet& model() { return model_; }
  const TrainingState& state() const { return state_; }

 private:
  Trainer(RunDirectory directory, TrainConfig config, data::Dataset dataset, data::Split split, models::LNet model);

  // One optimizer step on the molecules `indices`; returns the loss.
  double step(const std::vector<size_t>& indices);
  // Validation, records, checkpoints at the end of an epoch.
  void finish_epoch(Progress& progress);
  void save_last() const;

  RunDirectory directory_;
  TrainConfig config_;
  data::Dataset dataset_;
  data::Split split_;
  data::Target target_;
  torch::Dtype dtype_;
  models::LNet model_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  TrainingState state_;
};

}  // namespace e3::train
