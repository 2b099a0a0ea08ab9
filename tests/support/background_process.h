#pragma once
// A command run in the background for tests that must act on it while it runs (signal it,
// kill it, watch its output).

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

namespace e3::testing {

class BackgroundProcess {
 public:
  /// Starts `command` with /bin/sh (as `exec COMMAND`, so pid() is the command's own), its
  /// standard output and error going to temporary files.
  explicit BackgroundProcess(const std::string& command);
  /// Kills the process (SIGKILL) if it is still running, and removes the files.
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  /// What it printed so far.
  std::string out() const;
  std::string err() const;
  /// Sends `signal` to the process.
  void signal(int signal) const;
  /// Waits up to `seconds` for it to exit: its exit status (128 + N when killed by signal N),
  /// nullopt when it is still running.
  std::optional<int> wait(double seconds);

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string out_path_, err_path_;
};

/// Polls `condition` every 20 ms until it holds (true) or `seconds` pass (false).
bool eventually(const std::function<bool()>& condition, double seconds);

}  // namespace e3::testing
