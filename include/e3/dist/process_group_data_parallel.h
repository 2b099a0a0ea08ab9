#pragma once
// The trainer's DataParallel (include/e3/train/data_parallel.h) on a c10d process group.
//
// Gradients: attach() makes every gradient an alias of a slice of a bucket of bucket_megabytes
// (GradientBuckets), so that backward writes the gradients straight into the buckets;
// sum_gradients() starts an allreduce (sum) of every bucket, in place, and waits for them. In
// gloo's ring allreduce each element is summed along one path and the sum passed on to the
// other ranks, so every rank gets the same bits; with identical parameters, optimizer state and
// gradients, the optimizer step is then identical on every rank too (the tests check it for two
// and three ranks).
//
// Overlapping the allreduce with backward (starting each bucket from hooks on the gradient
// accumulators while backward still runs, as PyTorch's DDP does) is left out: on one machine
// whose cores all compute, one rank each, gloo's reductions and copies take those same cores
// from backward. Measured on the project's 2-core machine (bench_allreduce, L1Net, 2 ranks x 1
// thread, buckets of 5 MB, three interleaved runs of 10 steps): 762, 719, 752 ms per step
// without overlap, 834, 728, 845 ms with it; the gradient allreduce itself takes 35-45 ms.
// (The experiment: commit 92e0ad4, "Experiment: overlap the gradient allreduce with backward".)
// Overlap pays where communication waits on a network while cores are free: a multi-machine
// run would be the case to measure.

#include <torch/arg.h>

#include <memory>
#include <optional>

#include "e3/dist/gradient_buckets.h"
#include "e3/dist/world.h"
#include "e3/train/data_parallel.h"

namespace e3::dist {

struct DataParallelOptions {
  /// The size of a gradient bucket: large enough that a step is a few collectives, small enough
  /// that packing one overlaps the allreduce of the previous (PyTorch's DDP uses 25 MB too).
  TORCH_ARG(double, bucket_megabytes) = 25.0;
};

class ProcessGroupDataParallel final : public train::DataParallel {
 public:
  explicit ProcessGroupDataParallel(std::shared_ptr<World> world, DataParallelOptions options = {});

  int rank() const override { return world_->rank(); }
  int world_size() const override { return world_->world_size(); }
  void attach(const std::vector<torch::Tensor>& parameters) override;
  void broadcast(const std::vector<torch::Tensor>& tensors) override;
  void sum_gradients() override;
  void sum(torch::Tensor& values) override;
  bool any(bool flag) override;
  void barrier() override;

  World& world() { return *world_; }

 private:
  std::shared_ptr<World> world_;
  DataParallelOptions options_;
  std::optional<GradientBuckets> buckets_;
};

/// The DataParallel of a run: SingleProcess without `options` or for a world of one, else a
/// ProcessGroupDataParallel on World::connect(*options).
std::unique_ptr<train::DataParallel> make_data_parallel(const std::optional<WorldOptions>& options,
                                                        DataParallelOptions data_parallel = {});

}  // namespace e3::dist
