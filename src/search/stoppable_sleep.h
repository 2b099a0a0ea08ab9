#pragma once
// Waiting that a stop request cuts short (internal to e3_search).

#include <atomic>

namespace e3::search {

/// Sleeps `seconds` in slices of a few milliseconds; returns false as soon as `stop` (when
/// given) is true, true when the time passed without it.
bool sleep_unless_stopped(double seconds, const std::atomic<bool>* stop);

}  // namespace e3::search
