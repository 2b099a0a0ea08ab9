#include "e3/dist/gradient_buckets.h"

#include <torch/torch.h>

namespace e3::dist {

GradientBuckets::GradientBuckets(std::vector<torch::Tensor> parameters, int64_t bucket_bytes)
    : parameters_(std::move(parameters)) {
  int64_t numel = 0;  // of the last bucket so far
  for (size_t i = 0; i < parameters_.size(); ++i) {
    const auto& parameter = parameters_[i];
    const auto element_bytes = int64_t(parameter.element_size());
    bool fits = !buckets_.empty() && (numel + parameter.numel()) * element_bytes <= bucket_bytes;
    if (fits) {
      const auto& first = parameters_[buckets_.back().members.front()];
      fits = first.dtype() == parameter.dtype() && first.device() == parameter.device();
    }
    if (!fits) {
      buckets_.emplace_back();
      numel = 0;
    }
    buckets_.back().members.push_back(i);
    buckets_.back().offsets.push_back(numel);
    numel += parameter.numel();
  }
  for (auto& bucket : buckets_) {
    const auto& last = parameters_[bucket.members.back()];
    bucket.buffer = torch::empty({bucket.offsets.back() + last.numel()}, last.options().requires_grad(false));
    for (size_t k = 0; k < bucket.members.size(); ++k) adopt(bucket, k);
  }
}

void GradientBuckets::adopt(Bucket& bucket, size_t k) {
  auto& parameter = parameters_[bucket.members[k]];
  // An alias of the slice that autograd does not take for a view: the optimizer's zero_grad()
  // detaches gradients in place, which a view does not allow.
  auto alias = torch::empty({0}, bucket.buffer.options());
  alias.set_(bucket.buffer.storage(), bucket.offsets[k], parameter.sizes(), c10::contiguous_strides(parameter.sizes()));
  if (parameter.grad().defined()) {
    alias.copy_(parameter.grad());
  } else {
    alias.zero_();
  }
  parameter.mutable_grad() = alias;
}

torch::Tensor& GradientBuckets::prepare(size_t b) {
  auto& bucket = buckets_[b];
  for (size_t k = 0; k < bucket.members.size(); ++k) {
    const auto& grad = parameters_[bucket.members[k]].grad();
    const auto* slice_start = static_cast<const char*>(bucket.buffer.data_ptr()) +
                              bucket.offsets[k] * int64_t(bucket.buffer.element_size());
    const bool aliased = grad.defined() && grad.data_ptr() == slice_start && grad.is_contiguous() &&
                         grad.sizes() == parameters_[bucket.members[k]].sizes();
    if (!aliased) adopt(bucket, k);
  }
  return bucket.buffer;
}

}  // namespace e3::dist
