#include "background_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "files.h"

namespace e3::testing {
namespace {

std::string temporary_file(const char* pattern) {
  std::string path = pattern;
  const int fd = mkstemp(path.data());
  if (fd < 0) throw std::runtime_error("cannot create a temporary file");
  close(fd);
  return path;
}

}  // namespace

BackgroundProcess::BackgroundProcess(const std::string& command)
    : out_path_(temporary_file("/tmp/e3bg-out-XXXXXX")), err_path_(temporary_file("/tmp/e3bg-err-XXXXXX")) {
  const std::string script = "exec " + command + " >" + out_path_ + " 2>" + err_path_;
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("cannot fork");
  if (pid_ == 0) {
    execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
}

BackgroundProcess::~BackgroundProcess() {
  if (!exit_code_) {
    kill(pid_, SIGKILL);
    wait(10.0);
  }
  std::remove(out_path_.c_str());
  std::remove(err_path_.c_str());
}

std::string BackgroundProcess::out() const { return read_file(out_path_); }
std::string BackgroundProcess::err() const { return read_file(err_path_); }

void BackgroundProcess::signal(int signal) const {
  if (!exit_code_) kill(pid_, signal);
}

std::optional<int> BackgroundProcess::wait(double seconds) {
  if (exit_code_) return exit_code_;
  eventually(
      [&] {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return true;
      },
      seconds);
  return exit_code_;
}

bool eventually(const std::function<bool()>& condition, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace e3::testing
