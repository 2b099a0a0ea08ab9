#pragma once
// The seam between the trainer and data-parallel training: the processes ("ranks") that train
// one model together. The trainer is written against this interface only; e3::dist implements
// it on LibTorch's c10d (include/e3/dist/process_group_data_parallel.h), and SingleProcess
// below is the world of one.
//
// How the trainer uses it (every rank runs the same program on the same data):
//
//  1. Build the model from the configured seed (or load the checkpoint), build the optimizer,
//     then call attach(model->parameters()) once and broadcast() the parameters and buffers
//     (and, for a resumed run, the optimizer state) so that every rank starts from rank 0's
//     values.
//  2. Each epoch's shuffle is seeded identically on every rank. Every global batch (the
//     configured batch_size, B molecules) is split with shard_of(): rank r takes the
//     molecules at positions r, r + W, r + 2W, ... of the batch (W = world_size()).
//  3. Per step, on every rank, even one whose shard is empty:
//       zero the gradients;
//       if the shard is not empty: loss = shard_loss_weight(n_r, B) * (mean loss over the
//         shard's n_r molecules); loss.backward();
//       sum_gradients();      // every gradient becomes its sum over the ranks
//       optimizer.step();
//     Then the gradient every rank steps with is exactly that of the mean loss over the whole
//     batch, however unequal the shards: sum_r (n_r / B) grad(mean_r) = grad(mean over B).
//     (Averaging the gradients of per-shard means, as PyTorch's DDP does, is that only when
//     every shard has B / W molecules.) The weighted losses of the ranks add up to the batch's
//     loss: sum() them (one collective for the loss and the step's counters) to report it and
//     to test it for NaN on every rank alike; with W = 1 the weight is exactly 1.
//  4. Stopping (Ctrl-C, SIGTERM, a time limit) must happen at the same step on every rank:
//     pass the local reason to any() once per step and stop when it returns true.
//  5. Validation: each rank evaluates its shard_of() the validation molecules and sum()s the
//     sums of absolute and squared errors and the count, so every rank gets the totals.
//  6. Rank 0 alone (is_main()) writes files: checkpoints, metrics, plots, logs.
//
// Every collective (broadcast, sum_gradients, sum, any, barrier) must be called by every rank,
// in the same order and with tensors of the same shapes. A rank that fails or stops
// responding makes the collectives of the others throw within the configured timeout, with
// a message naming that rank; the trainer lets that error end the run without saving (the
// last checkpoint is intact and the run resumable).

#include <torch/types.h>

#include <cstddef>
#include <vector>

namespace e3::train {

/// The processes that train one model together (data parallelism).
class DataParallel {
 public:
  virtual ~DataParallel() = default;

  /// This process' rank, 0 <= rank() < world_size(); rank 0 writes the files.
  virtual int rank() const = 0;
  /// The number of processes.
  virtual int world_size() const = 0;
  /// Whether this process writes the run's files (rank 0).
  bool is_main() const { return rank() == 0; }

  /// Declares the parameters whose gradients sum_gradients() reduces; call it once, after the
  /// model (and optimizer) are built or loaded and before the first step, with the same list
  /// in the same order on every rank. Calling it again replaces the list.
  virtual void attach(const std::vector<torch::Tensor>& parameters) = 0;

  /// Every rank's `tensors` receive rank 0's values, in place (parameters, buffers, optimizer
  /// state): call it once after attach().
  virtual void broadcast(const std::vector<torch::Tensor>& tensors) = 0;

  /// Called after backward() on every rank, before the optimizer step: the gradient of every
  /// attached parameter becomes its sum over the ranks, bit-identical on every rank. A
  /// parameter without a gradient on a rank (no backward there, or not used by its graph)
  /// counts as zero there; afterwards every attached parameter has a gradient on every rank.
  virtual void sum_gradients() = 0;

  /// Sums `values` (float64, any shape) over the ranks, in place; every rank gets the same
  /// bits (validation sums, loss sums, counts).
  virtual void sum(torch::Tensor& values) = 0;

  /// Whether `flag` is true on any rank (the same answer on every rank): to stop together.
  virtual bool any(bool flag) = 0;

  /// Waits until every rank arrives; after the timeout, an exception naming the rank(s) that
  /// did not.
  virtual void barrier() = 0;
};

/// The world of one process: rank 0 of 1; every collective leaves its arguments as they are.
class SingleProcess final : public DataParallel {
 public:
  int rank() const override { return 0; }
  int world_size() const override { return 1; }
  void attach(const std::vector<torch::Tensor>&) override {}
  void broadcast(const std::vector<torch::Tensor>&) override {}
  void sum_gradients() override {}
  void sum(torch::Tensor&) override {}
  bool any(bool flag) override { return flag; }
  void barrier() override {}
};

/// The positions of `batch` that rank `rank` of `world_size` trains or validates on:
/// batch[rank], batch[rank + world_size], ... (the shards differ in size by at most one).
template <typename T>
std::vector<T> shard_of(const std::vector<T>& batch, int rank, int world_size) {
  std::vector<T> shard;
  for (size_t i = static_cast<size_t>(rank); i < batch.size(); i += static_cast<size_t>(world_size)) {
    shard.push_back(batch[i]);
  }
  return shard;
}

/// The factor on a shard's mean loss that makes the summed gradients of all ranks the gradient
/// of the whole batch's mean loss: shard_size / batch_size (1 for a single process).
inline double shard_loss_weight(size_t shard_size, size_t batch_size) {
  return double(shard_size) / double(batch_size);
}

}  // namespace e3::train
