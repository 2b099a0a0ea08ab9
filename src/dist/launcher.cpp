#include "e3/dist/launcher.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iterator>
#include <system_error>

#include "e3/dist/distributed_error.h"

namespace e3::dist {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// The self-pipe through which the signal handler hands SIGINT, SIGTERM and SIGCHLD to the
// supervision loop (whichever thread the kernel delivers them to).
int signal_pipe[2] = {-1, -1};

extern "C" void forward_to_pipe(int signal) {
  const int saved = errno;
  const auto byte = static_cast<unsigned char>(signal);
  [[maybe_unused]] const auto written = write(signal_pipe[1], &byte, 1);
  errno = saved;
}

constexpr int kSupervisedSignals[] = {SIGINT, SIGTERM, SIGCHLD};

// Installs forward_to_pipe for the supervised signals and restores the previous handlers.
class SignalPipe {
 public:
  SignalPipe() {
    if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) throw_errno("launch: pipe");
    struct sigaction action {};
    action.sa_handler = forward_to_pipe;
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < std::size(kSupervisedSignals); ++i) sigaction(kSupervisedSignals[i], &action, &previous_[i]);
  }
  ~SignalPipe() {
    for (size_t i = 0; i < std::size(kSupervisedSignals); ++i) sigaction(kSupervisedSignals[i], &previous_[i], nullptr);
    close(signal_pipe[0]);
    close(signal_pipe[1]);
    signal_pipe[0] = signal_pipe[1] = -1;
  }
  // Waits up to `timeout` (forever when negative) and returns the signals that arrived.
  std::vector<int> wait(std::chrono::milliseconds timeout) const {
    pollfd fd{signal_pipe[0], POLLIN, 0};
    poll(&fd, 1, timeout.count() < 0 ? -1 : static_cast<int>(timeout.count()));
    std::vector<int> signals;
    unsigned char byte;
    while (read(signal_pipe[0], &byte, 1) == 1) signals.push_back(byte);
    return signals;
  }

 private:
  struct sigaction previous_[std::size(kSupervisedSignals)]{};
};

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  }
  return "ended with wait status " + std::to_string(status);
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw_errno("free_port: socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    close(fd);
    throw std::system_error(error, std::generic_category(), "free_port: bind");
  }
  close(fd);
  return ntohs(address.sin_port);
}

pid_t spawn(const std::string& executable, const std::vector<std::string>& arguments, const Environment& environment,
            int stdout_fd) {
  // Everything exec needs is prepared before fork: the child only calls async-signal-safe functions.
  std::vector<std::string> argv_text{executable};
  argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
  std::vector<std::string> env_text;
  for (const auto& [name, value] : environment) env_text.push_back(name + "=" + value);
  std::vector<char*> argv, envp;
  for (auto& text : argv_text) argv.push_back(text.data());
  for (auto& text : env_text) envp.push_back(text.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);

  // exec's errno comes back through a pipe that exec closes on success.
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) throw_errno("spawn: pipe");
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    close(report[0]);
    close(report[1]);
    throw std::system_error(error, std::generic_category(), "cannot start " + executable);
  }
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);  // the launcher died before prctl
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int signal : kSupervisedSignals) ::signal(signal, SIG_DFL);
    if (stdout_fd >= 0) dup2(stdout_fd, STDOUT_FILENO);
    execve(executable.c_str(), argv.data(), envp.data());
    const int error = errno;
    [[maybe_unused]] const auto written = write(report[1], &error, sizeof error);
    _exit(127);
  }
  close(report[1]);
  int error = 0;
  ssize_t got;
  do got = read(report[0], &error, sizeof error);
  while (got < 0 && errno == EINTR);
  close(report[0]);
  if (got == sizeof error) {
    waitpid(pid, nullptr, 0);
    throw std::system_error(error, std::generic_category(), "cannot start " + executable);
  }
  return pid;
}

LaunchResult launch(const LaunchOptions& options, const std::vector<std::string>& arguments,
                    const Environment& environment) {
  if (options.nproc() < 1) throw std::invalid_argument("launch: the number of ranks must be at least 1");
  if (options.threads_per_rank() < 1) throw std::invalid_argument("launch: the threads per rank must be at least 1");
  const int port = options.master_port() > 0 ? options.master_port() : free_port();
  const SignalPipe signals;

  const auto n = static_cast<size_t>(options.nproc());
  std::vector<pid_t> pids;
  LaunchResult result;
  result.ranks.resize(n);
  std::vector<bool> running;
  for (size_t rank = 0; rank < n; ++rank) {
    Environment rank_environment = environment;
    rank_environment["RANK"] = rank_environment["LOCAL_RANK"] = std::to_string(rank);
    rank_environment["WORLD_SIZE"] = rank_environment["LOCAL_WORLD_SIZE"] = std::to_string(n);
    rank_environment["MASTER_ADDR"] = "127.0.0.1";
    rank_environment["MASTER_PORT"] = std::to_string(port);
    rank_environment[kThreadsVariable] = std::to_string(options.threads_per_rank());
    try {
      pids.push_back(spawn(options.executable(), arguments, rank_environment));
      running.push_back(true);
    } catch (...) {
      for (pid_t pid : pids) kill(-pid, SIGKILL);
      for (pid_t pid : pids) waitpid(pid, nullptr, 0);
      throw;
    }
  }

  bool failed = false, killed = false;
  Clock::time_point kill_at{};
  size_t live = n;
  auto signal_all = [&](int signal) {
    for (size_t r = 0; r < n; ++r) {
      if (running[r]) kill(-pids[r], signal);
    }
  };
  while (live > 0) {
    auto timeout = std::chrono::milliseconds(-1);
    if (failed && !killed) {
      timeout = std::max(std::chrono::milliseconds(0),
                         std::chrono::duration_cast<std::chrono::milliseconds>(kill_at - Clock::now()));
    }
    for (int signal : signals.wait(timeout)) {
      if (signal == SIGINT || signal == SIGTERM) signal_all(signal);
    }
    for (size_t r = 0; r < n; ++r) {
      int status = 0;
      if (!running[r] || waitpid(pids[r], &status, WNOHANG) != pids[r]) continue;
      running[r] = false;
      --live;
      auto& exit = result.ranks[r];
      exit.status = status;
      exit.terminated = failed;
      exit.description = describe_exit(status);
      if (failed || exit_code(status) == 0) continue;
      failed = true;
      result.exit_code = exit_code(status);
      result.message = "rank " + std::to_string(r) + " " + exit.description;
      signal_all(SIGTERM);
      kill_at = Clock::now() + options.grace();
    }
    if (failed && !killed && live > 0 && Clock::now() >= kill_at) {
      signal_all(SIGKILL);
      killed = true;
    }
  }
  std::vector<int> stopped;
  for (size_t r = 0; r < n; ++r) {
    if (result.ranks[r].terminated) stopped.push_back(int(r));
  }
  if (!stopped.empty()) result.message += "; stopped " + describe_ranks(stopped);
  return result;
}

}  // namespace e3::dist
