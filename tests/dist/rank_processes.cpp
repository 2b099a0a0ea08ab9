#include "rank_processes.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "e3/dist/launcher.h"

namespace e3::testing {
namespace {

using Clock = std::chrono::steady_clock;
const Clock::time_point kStart = Clock::now();

double now() { return std::chrono::duration<double>(Clock::now() - kStart).count(); }

}  // namespace

RankProcesses::RankProcesses(const std::vector<int>& ranks, int world_size, int port,
                             const std::vector<std::string>& arguments) {
  for (int rank : ranks) {
    auto environment = dist::current_environment();
    environment["RANK"] = std::to_string(rank);
    environment["WORLD_SIZE"] = std::to_string(world_size);
    environment["MASTER_ADDR"] = "127.0.0.1";
    environment["MASTER_PORT"] = std::to_string(port);
    environment["OMP_NUM_THREADS"] = "1";
    ranks_.push_back(Rank{rank, dist::spawn(DIST_RANK, arguments, environment)});
  }
}

RankProcesses::~RankProcesses() {
  for (auto& rank : ranks_) {
    if (!rank.running) continue;
    ::kill(rank.pid, SIGKILL);
    waitpid(rank.pid, nullptr, 0);
  }
}

bool RankProcesses::wait_all(double seconds) {
  const double deadline = now() + seconds;
  for (;;) {
    bool pending = false;
    for (auto& rank : ranks_) {
      if (!rank.running) continue;
      int status = 0;
      const pid_t got = waitpid(rank.pid, &status, WNOHANG | WUNTRACED);
      if (got != rank.pid) {
        pending = pending || !rank.stopped;
        continue;
      }
      if (WIFSTOPPED(status)) {
        if (!rank.stopped) rank.end = now();
        rank.stopped = true;
        continue;  // still to be killed
      }
      rank.running = rank.stopped = false;
      rank.status = status;
      if (rank.end == 0) rank.end = now();
    }
    if (!pending) return true;
    if (now() >= deadline) return false;
    usleep(10000);
  }
}

const RankProcesses::Rank& RankProcesses::find(int rank) const {
  for (const auto& r : ranks_) {
    if (r.rank == rank) return r;
  }
  throw std::out_of_range("RankProcesses: rank " + std::to_string(rank) + " was not started");
}

bool RankProcesses::exited(int rank) const { return !find(rank).running; }

int RankProcesses::exit_code(int rank) const {
  const auto& r = find(rank);
  return exited(rank) && WIFEXITED(r.status) ? WEXITSTATUS(r.status) : -1;
}

double RankProcesses::end_time(int rank) const { return find(rank).end; }

void RankProcesses::kill(int rank, int signal) { ::kill(find(rank).pid, signal); }

}  // namespace e3::testing
