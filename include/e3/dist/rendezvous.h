#pragma once
// Joining a run through c10d's TCPStore: rank 0 hosts the store at the master's port, every
// rank connects to it, registers and waits for the others, so that a missing, duplicated or
// misconfigured rank fails here with a message that names it, before any collective.

#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "e3/dist/world_options.h"

namespace e3::dist {

/// A connection to the run's store, its keys under "e3/attempt_N/" (N = options.attempt());
/// when `host`, this process also serves the store (until it is destroyed). DistributedError
/// when the master cannot be reached (or the port cannot be listened on) within
/// options.timeout().
c10::intrusive_ptr<c10d::Store> connect_store(const WorldOptions& options, bool host);

/// Whether this rank hosts the store: rank 0, unless a launcher's agent does.
inline bool hosts_store(const WorldOptions& options) { return options.rank() == 0 && !options.agent_store(); }

/// Who is at fault when the store cannot be reached, for messages: "rank 0 (the master,
/// hosting the store at HOST:PORT)" or "the store at HOST:PORT (hosted by the launcher)".
std::string store_host(const WorldOptions& options);

/// Registers this rank in `store` and waits (options.timeout()) until every rank has:
/// DistributedError naming the ranks that did not come, a rank that came twice, or a world
/// size that differs from the first rank's.
void join(c10d::Store& store, const WorldOptions& options);

/// Announces that this rank is done with the store; the rank that hosts it then waits
/// (options.timeout()) until every rank has, so that the store outlives their last use of it.
void leave(c10d::Store& store, const WorldOptions& options);

/// "HOST:PORT" of the master ("[ADDRESS]:PORT" for IPv6), for messages.
std::string master_address(const WorldOptions& options);

/// A store value from text and back.
std::vector<uint8_t> to_bytes(const std::string& text);
std::string to_text(const std::vector<uint8_t>& bytes);

/// "2.5 s", for messages.
std::string format_seconds(std::chrono::milliseconds duration);

}  // namespace e3::dist
