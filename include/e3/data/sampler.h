#pragma once
// BatchSampler: which molecules go into which batch, epoch by epoch.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace e3::data {

class BatchSampler {
 public:
  /// Batches of `batch_size` (>= 1) molecules drawn from `indices` (dataset indices, e.g. a
  /// split's training part). When `shuffle`, each epoch is a permutation of `indices` that
  /// depends only on (seed, epoch) — a run resumed at epoch k gets exactly the batches it
  /// would have had; otherwise every epoch follows `indices` in order (for evaluation).
  /// std::invalid_argument when batch_size is 0.
  BatchSampler(std::vector<size_t> indices, size_t batch_size, bool shuffle, uint64_t seed = 0);

  /// ceil(indices / batch_size): the last batch is smaller when batch_size does not divide.
  size_t num_batches() const;
  size_t batch_size() const { return batch_size_; }
  const std::vector<size_t>& indices() const { return indices_; }

  /// The batches of epoch `epoch` (counted from 0), each a list of dataset indices.
  std::vector<std::vector<size_t>> epoch(uint64_t epoch) const;

 private:
  std::vector<size_t> indices_;
  size_t batch_size_;
  bool shuffle_;
  uint64_t seed_;
};

}  // namespace e3::data
