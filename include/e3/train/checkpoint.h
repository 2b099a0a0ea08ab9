#pragma once
// Checkpoints: a model, optionally its optimizer and the trainer's counters, in one file
// written atomically (temporary name, then rename).

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <limits>
#include <string>
#include <vector>

#include "e3/train/metrics.h"

namespace e3::train {

/// Where training stands: everything besides the model and the optimizer that a resumed run
/// needs to continue exactly as if it had not stopped. (The data order of an epoch depends
/// only on the seed and the epoch, so the position within it is the batch count.)
struct TrainingState {
  int64_t epoch = 0;             ///< the epoch in progress, counted from 0
  int64_t batch = 0;             ///< batches of that epoch already trained on
  int64_t step = 0;              ///< optimizer steps taken in the run
  double epoch_loss_sum = 0.0;   ///< sum of the losses of those batches
  int64_t epoch_molecules = 0;   ///< molecules in those batches
  double epoch_seconds = 0.0;    ///< training time spent on them
  double elapsed_seconds = 0.0;  ///< training time of the whole run
  double best_val_mae = std::numeric_limits<double>::infinity();
  int64_t best_epoch = 0;        ///< the epoch (from 1) of best_val_mae; 0 before the first
  std::vector<EpochRecord> history;
};

/// Writes `model` and, when given, `optimizer` and `state` (with the global random generator's
/// state) to `path` atomically.
void save_checkpoint(const std::string& path, const torch::nn::Module& model, const torch::optim::Optimizer* optimizer,
                     const TrainingState* state);

/// Reads what save_checkpoint() wrote into `model` and, when given, `optimizer` and `state`
/// (restoring the random generator). std::runtime_error naming the file when it is missing,
/// unreadable, or not a checkpoint of this model.
void load_checkpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer* optimizer,
                     TrainingState* state);

}  // namespace e3::train
