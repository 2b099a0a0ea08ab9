#pragma once
// The one place where a backend becomes a c10d process group.

#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include "e3/dist/world_options.h"

namespace e3::dist {

/// The process group of `options.backend()` for this rank, rendezvousing through `store`
/// (every rank calls it with the same store contents). Gloo runs its collectives on one
/// background thread, over the interface that options.network_interface() names, else over
/// loopback when the master is a loopback address, else over the address of this host's
/// name. NCCL exists only in CUDA builds of LibTorch: elsewhere, an OptionError.
c10::intrusive_ptr<c10d::ProcessGroup> make_process_group(const WorldOptions& options,
                                                          const c10::intrusive_ptr<c10d::Store>& store);

/// Whether `host` names this machine's loopback (localhost, 127.x.x.x, ::1).
bool is_loopback(const std::string& host);

}  // namespace e3::dist
