#include "memory_tracker.h"

#include <c10/core/CPUAllocator.h>

#include <algorithm>

namespace e3::bench {
namespace {

// What a tracked allocation carries to its deleter.
struct Allocation {
  c10::DataPtr inner;
  int64_t bytes;
  std::atomic<int64_t>* current;
};

}  // namespace

MemoryTracker& MemoryTracker::install() {
  static MemoryTracker tracker(c10::GetDefaultCPUAllocator());
  c10::SetCPUAllocator(&tracker, /*priority=*/UINT8_MAX);
  return tracker;
}

c10::DataPtr MemoryTracker::allocate(size_t bytes) const {
  auto* allocation = new Allocation{base_->allocate(bytes), static_cast<int64_t>(bytes), &current_};
  const int64_t now = current_.fetch_add(allocation->bytes) + allocation->bytes;
  int64_t peak = peak_.load();
  while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
  }
  void* data = allocation->inner.get();
  const auto device = allocation->inner.device();
  return {data, allocation, &MemoryTracker::release, device};
}

void MemoryTracker::release(void* context) {
  auto* allocation = static_cast<Allocation*>(context);
  allocation->current->fetch_sub(allocation->bytes);
  delete allocation;
}

}  // namespace e3::bench
