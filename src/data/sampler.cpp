#include "e3/data/sampler.h"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "e3/data/random.h"

namespace e3::data {

BatchSampler::BatchSampler(std::vector<size_t> indices, size_t batch_size, bool shuffle, uint64_t seed)
    : indices_(std::move(indices)), batch_size_(batch_size), shuffle_(shuffle), seed_(seed) {
  if (batch_size_ == 0) throw std::invalid_argument("the batch size must be at least 1");
}

size_t BatchSampler::num_batches() const { return (indices_.size() + batch_size_ - 1) / batch_size_; }

std::vector<std::vector<size_t>> BatchSampler::epoch(uint64_t epoch) const {
  std::vector<size_t> order = indices_;
  if (shuffle_) {
    std::mt19937_64 engine(derive_seed(seed_, epoch));
    shuffle(order, engine);
  }
  std::vector<std::vector<size_t>> batches;
  batches.reserve(num_batches());
  for (size_t start = 0; start < order.size(); start += batch_size_) {
    const size_t stop = std::min(order.size(), start + batch_size_);
    batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(start),
                         order.begin() + static_cast<std::ptrdiff_t>(stop));
  }
  return batches;
}

}  // namespace e3::data
