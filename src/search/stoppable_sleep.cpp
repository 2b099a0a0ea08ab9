#include "stoppable_sleep.h"

#include <chrono>
#include <thread>

namespace e3::search {

bool sleep_unless_stopped(double seconds, const std::atomic<bool>* stop) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (stop && stop->load()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return !(stop && stop->load());
}

}  // namespace e3::search
