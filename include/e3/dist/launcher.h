#pragma once
// Starting and supervising the ranks of one machine (`e3cpp train ... --nproc N`), like
// torchrun's local agent, with POSIX fork/exec.
//
// launch() starts N copies of a program, rank r with the environment of torchrun's
// convention: RANK=r, LOCAL_RANK=r, WORLD_SIZE=N, LOCAL_WORLD_SIZE=N, MASTER_ADDR=127.0.0.1,
// MASTER_PORT=(a free port), and OMP_NUM_THREADS=(threads per rank, 1 by default; see
// kThreadsVariable in world_options.h: the program sets its LibTorch thread count from it).
// Each rank runs in a process group of its own, so that Ctrl-C on a terminal reaches the
// launcher alone, which forwards it (and SIGTERM) once to every rank: they stop together at
// their next step, save, and exit, and the launcher waits for them. When a rank exits with a
// non-zero status or is killed, the launcher sends SIGTERM to every other rank, SIGKILL to
// those still running after the grace period, and returns a failure naming that rank. A rank
// whose launcher dies gets SIGTERM (Linux's parent-death signal).

#include <sys/types.h>
#include <torch/arg.h>

#include <chrono>
#include <string>
#include <vector>

#include "e3/dist/world_options.h"

namespace e3::dist {

struct LaunchOptions {
  explicit LaunchOptions(int nproc) : nproc_(nproc) {}
  /// Number of ranks to start (>= 1).
  TORCH_ARG(int, nproc);
  /// Threads of each rank (OMP_NUM_THREADS); 1 by default, like torchrun.
  TORCH_ARG(int, threads_per_rank) = 1;
  /// The program every rank runs; by default this process' own executable.
  TORCH_ARG(std::string, executable) = "/proc/self/exe";
  /// The port rank 0's store listens on; 0: a port free at launch time.
  TORCH_ARG(int, master_port) = 0;
  /// How long ranks have to exit after SIGTERM, once one has failed, before SIGKILL.
  TORCH_ARG(std::chrono::milliseconds, grace) = std::chrono::seconds(30);
};

/// How one rank ended.
struct RankExit {
  int status = 0;           ///< the wait() status
  bool terminated = false;  ///< stopped by the launcher after another rank failed
  std::string description;  ///< "exited with status 0", "was killed by signal 9 (Killed)"
};

struct LaunchResult {
  /// 0 when every rank exited with status 0; else the status of the first rank that failed
  /// (128 + the signal for a rank killed by one).
  int exit_code = 0;
  /// Empty on success; else one line naming the rank that failed and how.
  std::string message;
  std::vector<RankExit> ranks;
};

/// Runs `options.nproc()` ranks of `options.executable()` with `arguments` (argv[1...]; they
/// must not ask for launching again) in `environment` plus the variables above, until every
/// rank has ended. While it runs it owns SIGINT, SIGTERM and SIGCHLD (their previous handlers
/// are restored afterwards); not reentrant. std::system_error when a rank cannot be started
/// (the ranks started before it are killed).
LaunchResult launch(const LaunchOptions& options, const std::vector<std::string>& arguments,
                    const Environment& environment);

/// Starts `executable` with `arguments` (argv[1...]) and exactly `environment`, in a process
/// group of its own, receiving SIGTERM if this thread ends, with `stdout_fd` (when >= 0) as
/// its standard output; std::system_error naming the executable when it cannot be started.
/// (Also how e3cpp hpsearch starts its worker processes.)
pid_t spawn(const std::string& executable, const std::vector<std::string>& arguments, const Environment& environment,
            int stdout_fd = -1);

/// "exited with status 3", "was killed by signal 9 (Killed)" for a wait() status.
std::string describe_exit(int status);

/// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

}  // namespace e3::dist
