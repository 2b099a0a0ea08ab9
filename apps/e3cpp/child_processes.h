#pragma once
// Copies of e3cpp started by a command (hpsearch's workers, predict --nproc's shards): each in
// its own process group, so that a Ctrl-C at the terminal reaches only the parent (hpsearch
// passes it on once); each stopped (SIGTERM) when the parent dies, however it dies.

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace e3::cli {

class ChildProcesses {
 public:
  /// Starts a copy of this executable with `arguments` (after argv[0]) and this process's
  /// environment plus `variables` (name, value: what `ps` must not show, which any user can read
  /// in a command line), its standard output appended to `log_path`, its standard error shared
  /// with this process. std::runtime_error when it cannot be started.
  void start(const std::vector<std::string>& arguments, const std::string& log_path,
             const std::vector<std::pair<std::string, std::string>>& variables = {});

  const std::vector<pid_t>& pids() const { return pids_; }
  /// Sends `signal` to every child that has not exited.
  void signal_running(int signal) const;
  /// Reaps the children that have exited, without waiting; true when none is running.
  bool reap();
  /// The exit status of each child that has exited (128 + N for one killed by signal N),
  /// in the order they were started; -1 for one still running.
  const std::vector<int>& exit_codes() const { return exit_codes_; }

 private:
  std::vector<pid_t> pids_;
  std::vector<int> exit_codes_;
};

}  // namespace e3::cli
