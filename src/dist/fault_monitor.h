#pragma once
// Tracing a failed or stalled collective to the rank at fault.
//
// Every rank publishes a heartbeat in the run's store, from a background thread over its own
// store connection: how many beats it has made and how many collectives it has started. When
// a collective fails on a rank (a peer closed its connection, or the backend's timeout passed),
// that rank reads every rank's heartbeat twice, three beats (at least 1 s) apart:
//  - a rank whose beat did not advance is gone or frozen: it exited, was killed, is stopped
//    (SIGSTOP) or its machine is unreachable;
//  - a rank that beats but has started fewer collectives is alive but did not get here: it is
//    stuck elsewhere, or its program took another path.
// The first rank to conclude publishes the verdict in the store; the others, waiting on their
// collectives, read it (check_verdict()) and fail with the same message, so that every rank
// stops within the timeout (plus the window) even where its own collective would only time
// out later. When the store itself is gone, its host, rank 0, is the one at fault.
//
// A beat that fails (a store request that throws: a connection reset, a store host slow to
// answer) does not end the heartbeat, or a healthy rank would later be blamed as frozen: the
// next beat reconnects and tries again. Only beats failing for longer than the timeout end it;
// by then the store is gone, and a collective has failed or will, and fail() says so.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include "e3/dist/world_options.h"

namespace e3::dist {

class FaultMonitor {
 public:
  /// A new connection to the run's store, for the heartbeat after a failed beat.
  using Connect = std::function<c10::intrusive_ptr<c10d::Store>()>;

  /// Starts the heartbeat over `heartbeat_store` (the first beat is published before this
  /// returns), and over a connection `reconnect` makes after a beat fails. The heartbeat's
  /// connections are used by the background thread only, `store` by the calling thread only.
  FaultMonitor(const WorldOptions& options, c10::intrusive_ptr<c10d::Store> heartbeat_store, Connect reconnect,
               c10::intrusive_ptr<c10d::Store> store);
  ~FaultMonitor();
  FaultMonitor(const FaultMonitor&) = delete;
  FaultMonitor& operator=(const FaultMonitor&) = delete;

  /// Counts a collective this rank has started.
  void collective_started() { ++collectives_; }

  /// Throws the published verdict as a DistributedError, if there is one.
  void check_verdict();

  /// `what` (a collective) failed here with `cause`: finds the rank(s) at fault, publishes the
  /// verdict unless another rank did first, and throws it as a DistributedError.
  [[noreturn]] void fail(const std::string& what, const std::string& cause);

  /// The time between two beats: a tenth of the timeout, between 0.1 s and 1 s.
  std::chrono::milliseconds interval() const { return interval_; }
  /// The same, for a monitor of `options`.
  static std::chrono::milliseconds interval(const WorldOptions& options);

 private:
  void beat();
  void beat_loop();
  [[noreturn]] void throw_verdict(const std::string& verdict) const;
  std::string diagnose(const std::string& what, const std::string& cause, std::vector<int>& culprits);

  WorldOptions options_;
  c10::intrusive_ptr<c10d::Store> heartbeat_store_;  // null after a failed beat, until reconnect_ succeeds
  Connect reconnect_;
  c10::intrusive_ptr<c10d::Store> store_;
  std::chrono::milliseconds interval_;
  std::atomic<int64_t> collectives_{0};
  int64_t beats_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace e3::dist
