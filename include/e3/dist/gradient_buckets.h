#pragma once
// Gradients packed into a few flat buffers ("buckets"), so that a step's gradient allreduce is
// a few large collectives instead of one per parameter tensor (L1Net has hundreds).

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace e3::dist {

class GradientBuckets {
 public:
  /// Groups `parameters`, in order, into buckets of one dtype and device holding at most
  /// `bucket_bytes` each (a larger parameter gets a bucket of its own). The buffers are
  /// allocated once, here.
  GradientBuckets(std::vector<torch::Tensor> parameters, int64_t bucket_bytes);

  size_t size() const { return buckets_.size(); }
  const std::vector<torch::Tensor>& parameters() const { return parameters_; }
  /// The positions in parameters() of bucket `b`'s parameters.
  const std::vector<size_t>& members(size_t b) const { return buckets_[b].members; }

  /// Bucket `b`'s buffer, filled with its parameters' gradients (zeros for a parameter that
  /// has none).
  torch::Tensor& gather(size_t b);

  /// Copies bucket `b`'s buffer back into its parameters' gradients (creating the missing ones).
  void scatter(size_t b);

 private:
  struct Bucket {
    std::vector<size_t> members;
    std::vector<int64_t> offsets;
    torch::Tensor buffer;
  };
  std::vector<torch::Tensor> parameters_;
  std::vector<Bucket> buckets_;
};

}  // namespace e3::dist
