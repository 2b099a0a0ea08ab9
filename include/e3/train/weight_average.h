#pragma once
// An exponential moving average of a model's weights (NequIP and MACE validate and predict
// with one): after every optimizer step, a <- d a + (1 - d) w for each parameter w, with
// d = min(decay, (1 + n) / (10 + n)) at the n-th update (counted from 0), so that the average
// is not dominated by the initial weights early in a run. The average starts as the initial
// weights.

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace e3::train {

class WeightAverage {
 public:
  /// An average of `parameters` (copied now) with `decay` in (0, 1).
  WeightAverage(const std::vector<torch::Tensor>& parameters, double decay);

  /// One update with the current values of `parameters` (the same list as at construction).
  void update(const std::vector<torch::Tensor>& parameters);
  /// The decay used by the next update.
  double next_decay() const;

  /// The averaged tensors, in the order of the parameters (saved and loaded with a run).
  std::vector<torch::Tensor>& values() { return values_; }
  const std::vector<torch::Tensor>& values() const { return values_; }
  int64_t updates() const { return updates_; }
  void set_updates(int64_t updates) { updates_ = updates; }

  /// Exchanges the values of `parameters` and of the average, in place (twice restores both):
  /// the model then computes with the averaged weights.
  void swap(const std::vector<torch::Tensor>& parameters);

 private:
  double decay_;
  int64_t updates_ = 0;
  std::vector<torch::Tensor> values_;
};

}  // namespace e3::train
