#include "heartbeat.h"

#include <algorithm>

namespace e3::search {
namespace {

// How often the watch looks at stop_all and the deadline.
constexpr std::chrono::milliseconds kWatchPeriod(20);
// The first pause before a failed renewal is tried again; each next one is twice as long.
constexpr std::chrono::milliseconds kFirstRetryPause(50);

// Longer than any study: a heartbeat timeout beyond it means "never", and keeps the conversion
// to the clock's nanoseconds from overflowing.
constexpr double kNeverSeconds = 1e9;

Heartbeat::Clock::duration seconds(double value) {
  return std::chrono::duration_cast<Heartbeat::Clock::duration>(
      std::chrono::duration<double>(std::min(value, kNeverSeconds)));
}

}  // namespace

Heartbeat::Heartbeat(StudyStore& store, int64_t number, std::string worker, double interval, double deadline,
                     Clock::time_point claimed, const std::atomic<bool>& stop_all, std::atomic<bool>& stop_trial)
    : store_(store),
      number_(number),
      worker_(std::move(worker)),
      interval_(seconds(interval)),
      deadline_(seconds(deadline)),
      stop_all_(stop_all),
      stop_trial_(stop_trial),
      renewed_(claimed.time_since_epoch().count()),
      beat_thread_([this] { beat(); }),
      watch_thread_([this] { watch(); }) {}

Heartbeat::~Heartbeat() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  watch_thread_.join();
  beat_thread_.join();
}

void Heartbeat::set_lost() {
  lost_ = true;
  stop_trial_ = true;
}

std::string Heartbeat::last_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_error_;
}

void Heartbeat::beat() {
  auto next = Clock::time_point(Clock::duration(renewed_.load())) + interval_;
  Clock::duration pause = kFirstRetryPause;
  std::unique_lock<std::mutex> lock(mutex_);
  // Once the trial is lost or out of contact it is stopping: a renewal would change nothing.
  while (!lost_ && !out_of_contact_) {
    if (wake_.wait_until(lock, next, [this] { return done_; })) break;
    lock.unlock();
    const auto sent = Clock::now();
    bool renewed = false;
    std::string error;
    try {
      if (!store_.heartbeat(number_, worker_)) set_lost();
      renewed = true;
    } catch (const StoreError& failure) {
      // A renewal that did not reach the database (busy, a dropped connection): tried again
      // soon, and the watch stops the trial if none succeeds before the deadline.
      error = failure.what();
    }
    lock.lock();
    if (renewed) {
      renewed_ = std::max(renewed_.load(), sent.time_since_epoch().count());
      next = sent + interval_;
      pause = kFirstRetryPause;
    } else {
      last_error_ = error;
      next = Clock::now() + pause;
      pause = std::min(2 * pause, interval_);
    }
  }
}

void Heartbeat::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, kWatchPeriod, [this] { return done_; })) {
    if (stop_all_) stop_trial_ = true;
    const auto renewed = Clock::time_point(Clock::duration(renewed_.load()));
    if (!lost_ && !out_of_contact_ && Clock::now() - renewed > deadline_) {
      out_of_contact_ = true;
      stop_trial_ = true;
    }
  }
}

}  // namespace e3::search
