#include "heartbeat.h"

#include <chrono>

namespace e3::search {
namespace {

// How often the thread looks at stop_all between beats.
constexpr std::chrono::milliseconds kStopCheck(20);

}  // namespace

Heartbeat::Heartbeat(StudyStore& store, int64_t number, std::string worker, double interval,
                     const std::atomic<bool>& stop_all, std::atomic<bool>& stop_trial)
    : store_(store),
      number_(number),
      worker_(std::move(worker)),
      interval_(interval),
      stop_all_(stop_all),
      stop_trial_(stop_trial),
      thread_([this] { beat(); }) {}

Heartbeat::~Heartbeat() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Heartbeat::set_lost() {
  lost_ = true;
  stop_trial_ = true;
}

void Heartbeat::beat() {
  using Clock = std::chrono::steady_clock;
  auto next = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval_));
  std::unique_lock<std::mutex> lock(mutex_);
  while (!done_) {
    wake_.wait_for(lock, kStopCheck, [this] { return done_; });
    if (done_) break;
    if (stop_all_) stop_trial_ = true;
    if (Clock::now() < next) continue;
    try {
      if (!store_.heartbeat(number_, worker_)) set_lost();
    } catch (const StoreError&) {
      // A beat that did not reach the database (busy, a dropped connection): the next one may.
    }
    next = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval_));
  }
}

}  // namespace e3::search
