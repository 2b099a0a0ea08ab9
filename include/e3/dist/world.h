#pragma once
// e3::dist: data-parallel training on LibTorch's c10d.
//
// Design. A World is this process' membership in a distributed run: rank 0 hosts a c10d
// TCPStore at the master's address; every rank connects to it, registers, waits for the
// others, and builds the backend's process group (ProcessGroupGloo on CPU) through it. The
// collectives themselves are c10d's; e3::dist adds what a training run needs around them:
//  - errors that name the rank at fault: a rank that cannot reach the master fails naming the
//    master's address and itself; ranks that do not join within the timeout are named; a rank
//    that dies or hangs during training makes the others fail within the timeout (plus a few
//    heartbeats), naming it (fault_monitor.h, in src/dist, explains how);
//  - an orderly end: rank 0 keeps the store up until every rank has left.
// ProcessGroupDataParallel (process_group_data_parallel.h) implements the trainer's
// DataParallel on a World; launch() (launcher.h) starts and supervises the ranks of one
// machine.
//
// Timeout. One value (WorldOptions::timeout, default 300 s) bounds joining, each collective
// and the silence of a rank. A collective waits for the slowest rank: the timeout must exceed
// the longest time one rank can spend between two collectives while the others wait (rank 0
// writing a checkpoint, say).

#include <memory>
#include <string>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>

#include "e3/dist/distributed_error.h"
#include "e3/dist/world_options.h"

namespace e3::dist {

class FaultMonitor;

class World {
 public:
  /// Joins the run `options` describes and builds its process group. DistributedError when
  /// the master cannot be reached, the ranks do not all join within the timeout (naming the
  /// missing ones), a rank is given twice or the world sizes differ; OptionError when the
  /// backend is not available in this build.
  static std::shared_ptr<World> connect(const WorldOptions& options);

  /// Leaves the run: rank 0 waits (up to the timeout) until every rank has left, unless a
  /// collective failed here or an exception is on its way.
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  int rank() const { return options_.rank(); }
  int world_size() const { return options_.world_size(); }
  const WorldOptions& options() const { return options_; }

  /// The backend's process group, for starting collectives; pass each one to wait().
  c10d::ProcessGroup& process_group() { return *process_group_; }

  /// Counts a collective just started (before wait()), so that a rank that falls behind can
  /// be told from one that died.
  void started();

  /// Waits until `work` (the collective `what`, e.g. "the allreduce of the gradients") is
  /// done. DistributedError naming the rank(s) at fault when it fails, when the backend's
  /// timeout passes, or when another rank has found the run broken.
  void wait(const c10::intrusive_ptr<c10d::Work>& work, const std::string& what);

 private:
  explicit World(const WorldOptions& options);

  WorldOptions options_;
  c10::intrusive_ptr<c10d::Store> store_;
  std::unique_ptr<FaultMonitor> monitor_;
  c10::intrusive_ptr<c10d::ProcessGroup> process_group_;
  bool failed_ = false;
};

}  // namespace e3::dist
