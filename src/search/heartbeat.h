#pragma once
// The heartbeat of a running trial (internal to e3_search): a thread that renews the trial's
// heartbeat in the study every `interval` seconds while the trial trains, however long an epoch
// takes, and a watch that stops the trial when the worker is asked to stop, has lost the trial,
// or has not renewed its heartbeat for `deadline` seconds.
//
// The deadline is what keeps a trial from running twice: another worker may take the trial over
// once its heartbeat is heartbeat_timeout old, so a worker that cannot renew it (its database
// is unreachable) must have stopped writing to the run directory before then. With a deadline
// shorter than the timeout, the difference is the time the trial has to save and stop. A
// renewal counts from the moment it was sent: the database's time of it is later.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "e3/search/study_store.h"

namespace e3::search {

class Heartbeat {
 public:
  using Clock = std::chrono::steady_clock;

  /// Starts renewing the heartbeat of trial `number` of `worker` through `store` (a connection
  /// of its own: the worker's thread keeps using its own) every `interval` seconds after
  /// `claimed` (when the claim that set the first heartbeat was sent), again after growing
  /// pauses (at most `interval`) when a renewal fails. Sets `stop_trial` when `stop_all` becomes
  /// true, when the store says the worker no longer holds the trial (lost()), or when no renewal
  /// has succeeded for `deadline` seconds (out_of_contact()).
  Heartbeat(StudyStore& store, int64_t number, std::string worker, double interval, double deadline,
            Clock::time_point claimed, const std::atomic<bool>& stop_all, std::atomic<bool>& stop_trial);
  /// Stops the threads (after a renewal in flight, which the store's retry limit bounds).
  ~Heartbeat();
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  /// Whether the worker lost the trial (requeued after a missed heartbeat, now someone else's).
  bool lost() const { return lost_; }
  /// Records that the worker lost the trial (learnt elsewhere) and stops it.
  void set_lost();
  /// Whether the trial was stopped because no renewal reached the study for `deadline` seconds.
  bool out_of_contact() const { return out_of_contact_; }
  /// The error of the last renewal that failed ("" when none did).
  std::string last_error() const;

 private:
  void beat();
  void watch();

  StudyStore& store_;
  int64_t number_;
  std::string worker_;
  Clock::duration interval_;
  Clock::duration deadline_;
  const std::atomic<bool>& stop_all_;
  std::atomic<bool>& stop_trial_;
  std::atomic<bool> lost_{false};
  std::atomic<bool> out_of_contact_{false};
  std::atomic<Clock::rep> renewed_;  // when the last successful renewal was sent (time_since_epoch)
  mutable std::mutex mutex_;         // guards done_ and last_error_
  std::condition_variable wake_;
  bool done_ = false;
  std::string last_error_;
  std::thread beat_thread_;
  std::thread watch_thread_;
};

}  // namespace e3::search
