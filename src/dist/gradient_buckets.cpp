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
  }
}

torch::Tensor& GradientBuckets::gather(size_t b) {
  auto& bucket = buckets_[b];
  for (size_t k = 0; k < bucket.members.size(); ++k) {
    const auto& parameter = parameters_[bucket.members[k]];
    auto slice = bucket.buffer.narrow(0, bucket.offsets[k], parameter.numel()).view(parameter.sizes());
    if (parameter.grad().defined()) slice.copy_(parameter.grad());
    else slice.zero_();
  }
  return bucket.buffer;
}

void GradientBuckets::scatter(size_t b) {
  auto& bucket = buckets_[b];
  for (size_t k = 0; k < bucket.members.size(); ++k) {
    auto& parameter = parameters_[bucket.members[k]];
    const auto slice = bucket.buffer.narrow(0, bucket.offsets[k], parameter.numel()).view(parameter.sizes());
    if (parameter.grad().defined()) parameter.mutable_grad().copy_(slice);
    else parameter.mutable_grad() = slice.clone();
  }
}

}  // namespace e3::dist
