#pragma once
// The heartbeat of a running trial (internal to e3_search): a thread that renews the trial's
// heartbeat in the study every `interval` seconds while the trial trains, however long an epoch
// takes, and stops the trial when the worker is asked to stop or has lost the trial.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "e3/search/study_store.h"

namespace e3::search {

class Heartbeat {
 public:
  /// Starts beating for trial `number` of `worker` through `store` (a connection of its own:
  /// the worker's thread keeps using its own). Sets `stop_trial` when `stop_all` becomes true
  /// or the store says the worker no longer holds the trial.
  Heartbeat(StudyStore& store, int64_t number, std::string worker, double interval, const std::atomic<bool>& stop_all,
            std::atomic<bool>& stop_trial);
  /// Stops the thread.
  ~Heartbeat();
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  /// Whether the worker lost the trial (requeued after a missed heartbeat, now someone else's).
  bool lost() const { return lost_; }
  /// Records that the worker lost the trial (learnt elsewhere) and stops it.
  void set_lost();

 private:
  void beat();

  StudyStore& store_;
  int64_t number_;
  std::string worker_;
  double interval_;
  const std::atomic<bool>& stop_all_;
  std::atomic<bool>& stop_trial_;
  std::atomic<bool> lost_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace e3::search
