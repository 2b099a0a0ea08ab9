#pragma once
// Gradients that live in a few flat buffers ("buckets"), so that a step's gradient allreduce is
// a few large collectives in place instead of one per parameter tensor (L1Net has hundreds),
// without copying gradients in and out.
//
// Each parameter's gradient is made an alias of its slice of a bucket (sharing its storage; not
// an autograd view, which the optimizer's zero_grad() could not detach in place). Backward
// accumulates into a defined gradient in place (LibTorch's AccumulateGrad, when not building a
// graph of the gradient) and zero_grad() zeroes it in place, so the aliases persist from step to
// step, and an allreduce of the buffers leaves every gradient reduced. A gradient replaced by
// another tensor (or reset to undefined) meanwhile is copied back into its slice (zeros for an
// undefined one) by prepare(), which makes it an alias again.

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace e3::dist {

class GradientBuckets {
 public:
  /// Groups `parameters`, in order, into buckets of one dtype and device holding at most
  /// `bucket_bytes` each (a larger parameter gets a bucket of its own), allocates the buffers
  /// and makes each gradient an alias of its slice (holding the gradient's values, or zeros).
  GradientBuckets(std::vector<torch::Tensor> parameters, int64_t bucket_bytes);

  size_t size() const { return buckets_.size(); }
  const std::vector<torch::Tensor>& parameters() const { return parameters_; }
  /// The positions in parameters() of bucket `b`'s parameters.
  const std::vector<size_t>& members(size_t b) const { return buckets_[b].members; }

  /// Bucket `b`'s buffer, holding its parameters' current gradients (each one an alias of it
  /// again, if it had been replaced).
  torch::Tensor& prepare(size_t b);

 private:
  struct Bucket {
    std::vector<size_t> members;
    std::vector<int64_t> offsets;
    torch::Tensor buffer;
  };
  // Makes member k's gradient an alias of its slice of `bucket`, copying its values there first.
  void adopt(Bucket& bucket, size_t k);

  std::vector<torch::Tensor> parameters_;
  std::vector<Bucket> buckets_;
};

}  // namespace e3::dist
