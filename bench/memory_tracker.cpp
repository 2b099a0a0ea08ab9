#include "memory_tracker.h"

#include <c10/core/CPUAllocator.h>

#include <mutex>
#include <unordered_map>

namespace e3::bench {
namespace {

// The live allocations by data pointer. A DataPtr's context is its data pointer, as
// Allocator::raw_allocate() requires (LibTorch's oneDNN paths, the bfloat16 GEMMs among them,
// allocate through it), so the bookkeeping cannot travel in the context.
struct Allocation {
  c10::DataPtr inner;
  int64_t bytes;
};
std::mutex live_mutex;
std::unordered_map<void*, Allocation> live;
MemoryTracker* installed = nullptr;

}  // namespace

MemoryTracker& MemoryTracker::install() {
  static MemoryTracker tracker(c10::GetDefaultCPUAllocator());
  installed = &tracker;
  c10::SetCPUAllocator(&tracker, /*priority=*/UINT8_MAX);
  return tracker;
}

c10::DataPtr MemoryTracker::allocate(size_t bytes) const {
  c10::DataPtr inner = base_->allocate(bytes);
  void* data = inner.get();
  if (data == nullptr) return inner;  // zero bytes: nothing to count
  const auto device = inner.device();
  {
    std::lock_guard<std::mutex> lock(live_mutex);
    live.emplace(data, Allocation{std::move(inner), static_cast<int64_t>(bytes)});
  }
  const int64_t now = current_.fetch_add(static_cast<int64_t>(bytes)) + static_cast<int64_t>(bytes);
  int64_t peak = peak_.load();
  while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
  }
  return {data, data, &MemoryTracker::release, device};
}

void MemoryTracker::release(void* data) {
  Allocation allocation;
  {
    std::lock_guard<std::mutex> lock(live_mutex);
    const auto found = live.find(data);
    allocation = std::move(found->second);
    live.erase(found);
  }
  installed->current_.fetch_sub(allocation.bytes);
  // allocation.inner frees the memory through the default allocator here.
}

}  // namespace e3::bench
