// One rank of the distributed tests (test_dist starts two or three): trains the toy problem
// through e3::dist on the world its environment describes (RANK, WORLD_SIZE, MASTER_ADDR,
// MASTER_PORT, as launch() sets them), checks sum/any/barrier, and saves what it ends with.
//
//   dist_rank --out DIR [--timeout SECONDS] [--fault die|stop|sleep --fault-rank R --fault-step S]
//
// Standard error goes to DIR/stderr.RANK; the result to DIR/rank.RANK.pt: the parameters, then
// sum() of [rank, 1] and any(rank == world size - 1) (as a tensor), in a vector. A fault makes
// rank R, before step S, kill itself (die), stop itself with SIGSTOP (stop), or sleep for two
// timeouts while its heartbeat goes on (sleep). Exit status 1 with a one-line error on failure.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "e3/dist/process_group_data_parallel.h"
#include "toy_problem.h"

namespace {

struct Arguments {
  std::string out, fault;
  std::optional<std::string> timeout;
  int fault_rank = -1;
  size_t fault_step = 0;
};

Arguments parse(int argc, char** argv) {
  Arguments arguments;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i], value = argv[i + 1];
    if (name == "--out") arguments.out = value;
    else if (name == "--timeout") arguments.timeout = value;
    else if (name == "--fault") arguments.fault = value;
    else if (name == "--fault-rank") arguments.fault_rank = std::stoi(value);
    else if (name == "--fault-step") arguments.fault_step = std::stoul(value);
    else throw std::invalid_argument("dist_rank: unknown argument " + name);
  }
  return arguments;
}

void inject(const Arguments& arguments, double timeout_seconds) {
  if (arguments.fault == "die") raise(SIGKILL);
  if (arguments.fault == "stop") raise(SIGSTOP);
  if (arguments.fault == "sleep") std::this_thread::sleep_for(std::chrono::duration<double>(2 * timeout_seconds));
}

}  // namespace

int main(int argc, char** argv) {
  const Arguments arguments = parse(argc, argv);
  const char* rank_text = std::getenv("RANK");
  const std::string log = arguments.out + "/stderr." + (rank_text ? rank_text : "x");
  const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) dup2(fd, STDERR_FILENO);
  try {
    e3::dist::WorldArguments world_arguments;
    world_arguments.timeout = arguments.timeout;
    const auto options = e3::dist::world_options(world_arguments, e3::dist::current_environment());
    if (!options) throw std::invalid_argument("dist_rank: no world in the environment (RANK, WORLD_SIZE, ...)");
    auto data_parallel = e3::dist::make_data_parallel(options);
    const int rank = data_parallel->rank(), world_size = data_parallel->world_size();
    const double timeout_seconds = double(options->timeout().count()) / 1000.0;
    auto parameters = e3::testing::toy::train(e3::testing::toy::kSeed + uint64_t(rank), *data_parallel,
                                             [&](size_t step) {
                                               if (rank == arguments.fault_rank && step == arguments.fault_step) {
                                                 inject(arguments, timeout_seconds);
                                               }
                                             });
    auto sums = torch::tensor({double(rank), 1.0}, torch::kFloat64);
    data_parallel->sum(sums);
    const bool last_is_there = data_parallel->any(rank == world_size - 1);
    const bool nobody = data_parallel->any(false);
    data_parallel->barrier();
    parameters.push_back(sums);
    parameters.push_back(torch::tensor({double(last_is_there), double(nobody)}, torch::kFloat64));
    torch::save(parameters, arguments.out + "/rank." + std::to_string(rank) + ".pt");
  } catch (const std::exception& error) {
    std::fprintf(stderr, "dist_rank: %s\n", e3::dist::one_line(error).c_str());
    return 1;
  }
  return 0;
}
