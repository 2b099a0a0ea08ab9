#pragma once
// Which distributed run this process belongs to: world size, rank, the master's address,
// the timeout and the backend, from explicit values (the command line) or from the
// environment in torchrun's convention; explicit values win, one by one.
//
//   value        command line              environment
//   world size   --world-size N            WORLD_SIZE
//   rank         --rank R                  RANK
//   master       --master HOST:PORT        MASTER_ADDR, MASTER_PORT
//   local rank   (none)                    LOCAL_RANK (informational on CPU)
//   timeout      --dist-timeout SECONDS    (none; default 300 s)
//   backend      --dist-backend NAME       (none; default gloo)
//   interface    (none)                    GLOO_SOCKET_IFNAME (default: see network_interface)
//   agent store  (none)                    TORCHELASTIC_USE_AGENT_STORE, TORCHELASTIC_RESTART_COUNT
//
// Neither a world size nor a rank anywhere means a single-process run. Anything given but
// incomplete or inconsistent (a rank without a world size, a rank out of range, a world of
// several processes without a master, a port that is not a port) is an OptionError with one
// line naming the value and where it came from ("--rank 2" or "RANK=2 (environment)"); so is a
// backend this build cannot run, even for a single process.

#include <torch/arg.h>

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "e3/dist/backend.h"

namespace e3::dist {

/// A bad or inconsistent distributed setting (command line or environment): one line.
class OptionError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Environment variables by name (tests pass their own; current_environment() reads the process').
using Environment = std::map<std::string, std::string>;

/// The environment of this process.
Environment current_environment();

/// The command-line values, as text (nullopt when not given); parsed by world_options().
struct WorldArguments {
  std::optional<std::string> world_size;  ///< --world-size
  std::optional<std::string> rank;        ///< --rank
  std::optional<std::string> master;      ///< --master HOST:PORT ([v6 address]:PORT)
  std::optional<std::string> timeout;     ///< --dist-timeout, seconds
  std::optional<std::string> backend;     ///< --dist-backend
};

/// One process' place in a distributed run.
struct WorldOptions {
  WorldOptions(int world_size, int rank, std::string master_addr, int master_port)
      : world_size_(world_size), rank_(rank), master_addr_(std::move(master_addr)), master_port_(master_port) {}

  /// Number of processes, >= 1.
  TORCH_ARG(int, world_size);
  /// This process' rank, 0 <= rank < world_size; rank 0 hosts the rendezvous store.
  TORCH_ARG(int, rank);
  /// The host (name or address) of rank 0, reachable from every rank.
  TORCH_ARG(std::string, master_addr);
  /// The TCP port rank 0's store listens on.
  TORCH_ARG(int, master_port);
  /// The rank among the processes of this machine (LOCAL_RANK); -1 when not given.
  TORCH_ARG(int, local_rank) = -1;
  /// How long joining, each collective and a silent rank may take before the run fails.
  TORCH_ARG(std::chrono::milliseconds, timeout) = std::chrono::seconds(300);
  /// The collective backend (process_group.h).
  TORCH_ARG(Backend, backend) = Backend::gloo;
  /// The network interface gloo uses (GLOO_SOCKET_IFNAME, as in PyTorch); empty: the
  /// loopback device when the master is a loopback address, else this host name's address.
  TORCH_ARG(std::string, network_interface);
  /// Whether the store at the master's address is hosted by a launcher (torchrun's agent,
  /// TORCHELASTIC_USE_AGENT_STORE=True) rather than by rank 0; every rank is then its client.
  TORCH_ARG(bool, agent_store) = false;
  /// Which attempt of the run this is (TORCHELASTIC_RESTART_COUNT): the keys of each attempt
  /// are kept apart in a store that outlives attempts.
  TORCH_ARG(int, attempt) = 0;
};

/// The distributed run described by `arguments` and `environment` (arguments win); nullopt
/// when neither gives a world size or a rank (a single-process run). OptionError on a bad
/// or inconsistent value. A world size of 1 needs no master (it defaults to 127.0.0.1:29500).
std::optional<WorldOptions> world_options(const WorldArguments& arguments, const Environment& environment);

/// "HOST:PORT" or "[IPv6]:PORT" as (host, port); OptionError naming `source` otherwise.
std::pair<std::string, int> parse_host_port(const std::string& text, const std::string& source);

/// The environment variable through which a launcher passes each rank its thread count
/// (the convention of torchrun, which sets it to 1; OpenMP, OpenBLAS and oneDNN honour it).
inline constexpr const char* kThreadsVariable = "OMP_NUM_THREADS";

/// The thread count a launcher asked for (kThreadsVariable), nullopt when unset;
/// OptionError when it is not a positive integer.
std::optional<int> threads_from_environment(const Environment& environment);

}  // namespace e3::dist
