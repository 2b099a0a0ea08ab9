#pragma once
// Checkpoints: a model, optionally its optimizer, the trainer's counters and the weight
// average, in one file written atomically (temporary name, then rename).

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <limits>
#include <string>
#include <vector>

#include "e3/train/lr_schedule.h"
#include "e3/train/metrics.h"
#include "e3/train/weight_average.h"

namespace e3::train {

/// Where training stands: everything besides the model, the optimizer and the weight average
/// that a resumed run needs to continue exactly as if it had not stopped. (The data order of
/// an epoch depends only on the seed and the epoch, so the position within it is the batch
/// count.)
struct TrainingState {
  int64_t epoch = 0;      ///< the epoch in progress, counted from 0
  int64_t batch = 0;      ///< batches of that epoch already trained on
  int64_t step = 0;       ///< optimizer steps taken in the run
  int64_t molecules = 0;  ///< training molecules seen in the run
  // Since the last validation:
  double interval_loss_sum = 0.0;  ///< sum of the steps' losses
  int64_t interval_steps = 0;
  int64_t interval_molecules = 0;
  double interval_seconds = 0.0;  ///< training time
  double elapsed_seconds = 0.0;   ///< training time of the whole run
  double best_score = std::numeric_limits<double>::infinity();
  int64_t best_step = 0;             ///< the step of best_score; 0 before the first validation
  double best_epoch = 0.0;           ///< the (fractional) epoch of best_score
  int64_t validations_since_best = 0;  ///< for early stopping (`patience`)
  bool stopped_early = false;        ///< early stopping ended the run
  PlateauState plateau;              ///< the learning-rate schedule's state
  /// Per target, the scale of ValidationRecord::score: the standard deviation of t - p_m over
  /// the training molecules that have t (measured when the run starts).
  std::vector<double> score_scales;
  std::vector<ValidationRecord> history;
};

/// Writes `model` and, when given, `optimizer`, `state` (with the global random generator's
/// state) and `average` to `path` atomically.
void save_checkpoint(const std::string& path, const torch::nn::Module& model, const torch::optim::Optimizer* optimizer,
                     const TrainingState* state, const WeightAverage* average = nullptr);

/// Reads what save_checkpoint() wrote into `model` and, when given, `optimizer`, `state`
/// (restoring the random generator) and `average`. std::runtime_error naming the file when it
/// is missing, unreadable, or not a checkpoint of this model.
void load_checkpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer* optimizer,
                     TrainingState* state, WeightAverage* average = nullptr);

}  // namespace e3::train
