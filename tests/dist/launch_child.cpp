// A rank for the launcher's tests (no Torch): `launch_child DIR MODE` behaves by MODE.
//   env       writes DIR/env.RANK: the launcher's variables and E3_TEST_EXTRA, one per line
//   wait      writes DIR/ready.RANK, waits for SIGINT or SIGTERM, writes its name to
//             DIR/signal.RANK and exits 0
//   fail      rank 1 exits with status 3 once DIR/ready.0 exists; the others act as in wait
//   killed    rank 1 kills itself (SIGKILL) once DIR/ready.0 exists; the others act as in wait
//   stubborn  like fail, but rank 0 ignores SIGTERM and only SIGKILL ends it

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

std::string variable(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "(unset)";
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path + ".tmp") << text;
  std::rename((path + ".tmp").c_str(), path.c_str());
}

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

void wait_for(const std::string& path) {
  while (!exists(path)) usleep(10000);
}

// Writes the ready file, waits for SIGINT or SIGTERM and records which.
int wait_for_signal(const std::string& dir, const std::string& rank, bool ignore_term) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  if (ignore_term) {
    signal(SIGTERM, SIG_IGN);
  } else {
    sigaddset(&set, SIGTERM);
  }
  sigprocmask(SIG_BLOCK, &set, nullptr);
  write(dir + "/ready." + rank, "ready\n");
  int received = 0;
  sigwait(&set, &received);
  write(dir + "/signal." + rank, received == SIGINT ? "SIGINT\n" : "SIGTERM\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: launch_child DIR MODE\n");
    return 2;
  }
  const std::string dir = argv[1], mode = argv[2], rank = variable("RANK");
  if (mode == "env") {
    std::string text;
    for (const char* name : {"RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT",
                             "OMP_NUM_THREADS", "E3_TEST_EXTRA"}) {
      text += std::string(name) + "=" + variable(name) + "\n";
    }
    write(dir + "/env." + rank, text);
    return 0;
  }
  if (mode == "wait") return wait_for_signal(dir, rank, false);
  if (mode == "fail" || mode == "killed" || mode == "stubborn") {
    if (rank == "1") {
      wait_for(dir + "/ready.0");
      if (mode == "killed") raise(SIGKILL);
      return 3;
    }
    return wait_for_signal(dir, rank, mode == "stubborn");
  }
  std::fprintf(stderr, "launch_child: unknown mode %s\n", mode.c_str());
  return 2;
}
