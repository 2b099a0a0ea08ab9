#pragma once
// Training a molecule network (L·Net, Section 3.1, or the multi-target network, Section 3.2)
// on one or more QM9 targets: Adam (AdamW with weight decay) on the normalized loss of
// (3.2)-(3.3) (train/loss.h), epoch after epoch over a seeded shuffle of the training split,
// validating every epoch or every N steps or minutes (`validate_every`), with an optional
// learning-rate schedule (train/lr_schedule.h), weight average (train/weight_average.h),
// gradient clipping and early stopping.
//
// Validation measures the MAE of every target on the validation split, with the averaged
// weights when there are any; best.pt follows the best validation score (ValidationRecord).
// Everything a run needs to continue is saved in RUN/last.pt at every validation, at least
// every checkpoint_minutes between them, and when training stops early (time limit,
// interruption): a resumed run continues exactly as if it had not stopped, because the data
// order of an epoch depends only on (seed, epoch) and the kernels are deterministic for a
// given thread count and CPU. A run killed outright loses at most checkpoint_minutes of
// training.
//
// Data parallelism (train/data_parallel.h): given the processes that train the model together,
// every rank builds the same model and takes its shard of every batch; the gradients are summed
// over the ranks, so that a step is that of one process on the whole batch; validation is
// split across the ranks and its sums reduced; rank 0 alone writes the run's files and logs.
// The trainer knows nothing else of how many processes there are.

#include <torch/optim/optimizer.h>

#include <atomic>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "e3/data/dataset.h"
#include "e3/data/split.h"
#include "e3/data/targets.h"
#include "e3/models/molecule_net.h"
#include "e3/train/checkpoint.h"
#include "e3/train/config.h"
#include "e3/train/data_parallel.h"
#include "e3/train/loss.h"
#include "e3/train/lr_schedule.h"
#include "e3/train/progress.h"
#include "e3/train/run_directory.h"
#include "e3/train/validation_interval.h"
#include "e3/train/weight_average.h"

namespace e3::train {

/// Training cannot go on: the loss became NaN or infinite. The last checkpoint is intact.
class TrainingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Trainer {
 public:
  /// Why run() returned.
  enum class Outcome { finished, time_limit, interrupted, step_limit, early_stopped, stopped_by_observer };

  /// Called after every validation with its record; returning false stops the run
  /// (Outcome::stopped_by_observer; the state is saved and the run can be resumed).
  using ValidationObserver = std::function<bool(const ValidationRecord&)>;

  /// A new run in `run_path` (created; it must not hold anything yet) from `config`
  /// (validated here): reads the data, draws and writes the split, checks the data (every
  /// element known, every target in training and validation molecules), measures the
  /// statistics of (2.59) and the neighbour count on the training split, builds the model
  /// (seeded) and writes config.json with every value resolved and a first last.pt. Messages
  /// go to `log`. `parallel`: the ranks training together (nullptr: this process alone); every
  /// rank calls start() with the same configuration, rank 0 creates the run.
  static Trainer start(TrainConfig config, const std::string& run_path, std::ostream& log,
                       std::shared_ptr<DataParallel> parallel = nullptr);

  /// The run in `run_path`, from its last.pt, with the same checks of the data as start().
  /// `overrides` (key, value as text) may change only resumable_keys(); ConfigError for any
  /// other key. With `parallel`, every rank reads the run (it must see the run directory) and
  /// rank 0's weights and average are broadcast; a world of another size than before continues
  /// with the same batches, but the gradients' sums are added in another order (results agree
  /// to rounding, not bit for bit).
  static Trainer resume(const std::string& run_path, const std::vector<std::pair<std::string, std::string>>& overrides,
                        std::ostream& log, std::shared_ptr<DataParallel> parallel = nullptr);

  /// The keys resume() accepts in its overrides: epochs, max_minutes, checkpoint_minutes, data.
  static const std::vector<std::string>& resumable_keys();
  /// Sets `overrides` (key, value as text) in `config` as resume() does: ConfigError for a key
  /// other than resumable_keys().
  static void apply_resume_overrides(TrainConfig& config,
                                     const std::vector<std::pair<std::string, std::string>>& overrides);

  /// Trains until every configured epoch is done, max_minutes of this call have passed,
  /// `stop` becomes true, `max_steps` (when >= 0) optimizer steps were taken in this call,
  /// early stopping or the observer end it; the state is saved in every case. TrainingError
  /// when the loss stops being finite.
  Outcome run(Progress& progress, const std::atomic<bool>* stop = nullptr, int64_t max_steps = -1);

  void set_validation_observer(ValidationObserver observer) { observer_ = std::move(observer); }

  const TrainConfig& config() const { return config_; }
  const RunDirectory& directory() const { return directory_; }
  const data::Dataset& dataset() const { return dataset_; }
  const data::Split& split() const { return split_; }
  const std::vector<data::Target>& targets() const { return targets_; }
  /// The model with the weights being trained (not the average).
  models::MoleculeNet& model() { return model_; }
  const TrainingState& state() const { return state_; }
  /// The weight average (nullptr when ema_decay is 0).
  const WeightAverage* weight_average() const { return average_.get(); }

 private:
  Trainer(RunDirectory directory, TrainConfig config, data::Dataset dataset, data::Split split,
          models::MoleculeNet model, std::shared_ptr<DataParallel> parallel);
  // Every rank starts from rank 0's weights (and weight average).
  void synchronize_ranks();

  // One optimizer step on the molecules `indices`; returns the loss.
  double step(const std::vector<size_t>& indices);
  // Validation, records, best.pt and last.pt; returns why training must stop, or finished
  // when it may go on.
  Outcome validate(Progress& progress, int64_t batches_per_epoch);
  bool validation_due();
  void save_last() const;

  RunDirectory directory_;
  TrainConfig config_;
  data::Dataset dataset_;
  data::Split split_;
  std::vector<data::Target> targets_;
  torch::Dtype dtype_;
  models::MoleculeNet model_;
  std::vector<torch::Tensor> parameters_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  LossOptions loss_;
  ValidationInterval interval_;
  std::unique_ptr<LearningRateSchedule> schedule_;
  std::unique_ptr<WeightAverage> average_;
  TrainingState state_;
  ValidationObserver observer_;
  std::shared_ptr<DataParallel> parallel_;
};

}  // namespace e3::train
