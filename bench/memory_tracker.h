#pragma once
// Exact accounting of LibTorch's CPU tensor memory, for benchmarks.
//
// MemoryTracker installs itself as the CPU allocator (wrapping the default one) and counts
// the bytes of live tensor storage; peak() is the high-water mark since reset_peak().
// Only allocations made while it is installed are counted.

#include <c10/core/Allocator.h>

#include <atomic>
#include <cstdint>

namespace e3::bench {

class MemoryTracker final : public c10::Allocator {
 public:
  /// Installs the tracker as the CPU allocator for the rest of the process.
  static MemoryTracker& install();

  c10::DataPtr allocate(size_t bytes) const override;
  c10::DeleterFnPtr raw_deleter() const override { return &MemoryTracker::release; }

  int64_t current() const { return current_.load(); }
  int64_t peak() const { return peak_.load(); }
  /// Starts a new high-water mark at the current usage.
  void reset_peak() { peak_.store(current_.load()); }

 private:
  explicit MemoryTracker(c10::Allocator* base) : base_(base) {}
  static void release(void* data);

  c10::Allocator* base_;
  mutable std::atomic<int64_t> current_{0};
  mutable std::atomic<int64_t> peak_{0};
};

}  // namespace e3::bench
