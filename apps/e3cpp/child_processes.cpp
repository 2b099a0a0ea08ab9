#include "child_processes.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "e3/dist/launcher.h"

namespace e3::cli {

void ChildProcesses::start(const std::vector<std::string>& arguments, const std::string& log_path,
                           const std::vector<std::pair<std::string, std::string>>& variables) {
  char executable[4096];
  const ssize_t length = readlink("/proc/self/exe", executable, sizeof(executable) - 1);
  if (length <= 0) throw std::runtime_error(std::string("cannot find this executable: ") + std::strerror(errno));
  executable[length] = '\0';
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw std::runtime_error(log_path + ": cannot open for writing (" + std::strerror(errno) + ")");
  auto environment = dist::current_environment();
  for (const auto& [name, value] : variables) environment[name] = value;
  pid_t pid = -1;
  try {
    pid = dist::spawn(executable, arguments, environment, log);
  } catch (const std::system_error& error) {
    close(log);
    throw std::runtime_error(std::string("cannot start a worker process: ") + error.what());
  }
  close(log);
  pids_.push_back(pid);
  exit_codes_.push_back(-1);
}

void ChildProcesses::signal_running(int signal) const {
  for (size_t i = 0; i < pids_.size(); ++i) {
    if (exit_codes_[i] < 0) kill(pids_[i], signal);
  }
}

bool ChildProcesses::reap() {
  bool running = false;
  for (size_t i = 0; i < pids_.size(); ++i) {
    if (exit_codes_[i] >= 0) continue;
    int status = 0;
    if (waitpid(pids_[i], &status, WNOHANG) == pids_[i]) {
      exit_codes_[i] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    } else {
      running = true;
    }
  }
  return !running;
}

}  // namespace e3::cli
