#pragma once
// Ranks of the distributed tests started by hand (not by the launcher, which would stop the
// others itself when one fails): dist_rank processes with torchrun's variables.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace e3::testing {

class RankProcesses {
 public:
  /// Starts dist_rank `arguments` for each rank in `ranks` of a world of `world_size`
  /// processes with the master at 127.0.0.1:`port`.
  RankProcesses(const std::vector<int>& ranks, int world_size, int port, const std::vector<std::string>& arguments);
  /// Kills and reaps the ranks still running.
  ~RankProcesses();

  /// Waits up to `seconds` for every started rank to exit or stop (SIGSTOP); returns false when
  /// one is still running then. Ranks that are done are recorded.
  bool wait_all(double seconds);
  /// Whether `rank` has exited (not merely stopped).
  bool exited(int rank) const;
  /// The exit status of `rank` (-1 when it was killed by a signal or has not exited).
  int exit_code(int rank) const;
  /// Seconds since the start when `rank` exited or stopped.
  double end_time(int rank) const;
  /// Sends `signal` to `rank`.
  void kill(int rank, int signal);

 private:
  struct Rank {
    int rank;
    pid_t pid;
    bool running = true, stopped = false;
    int status = 0;
    double end = 0;
  };
  const Rank& find(int rank) const;
  std::vector<Rank> ranks_;
};

}  // namespace e3::testing
