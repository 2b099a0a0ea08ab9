// Data-parallel training on c10d, with dist_rank processes on loopback: two (and three) ranks
// each on their shard of every batch end with exactly the parameters of one process on the
// whole batch, bit-identical on every rank; and the faults: a rank that dies, stops or falls
// behind, a master that is not there, a rank that does not come (rendezvous_test.cpp has the
// other errors of joining).

#include <gtest/gtest.h>
#include <signal.h>
#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

#include "e3/dist/launcher.h"
#include "e3/dist/process_group_data_parallel.h"
#include "e3/dist/rendezvous.h"
#include "files.h"
#include "rank_processes.h"
#include "toy_problem.h"

namespace e3::testing {
namespace {

std::vector<torch::Tensor> load_rank(const TempDir& dir, int rank) {
  std::vector<torch::Tensor> tensors;
  torch::load(tensors, dir.file("rank." + std::to_string(rank) + ".pt"));
  return tensors;
}

std::string stderr_of(const TempDir& dir, int rank) { return read_file(dir.file("stderr." + std::to_string(rank))); }

// Launches `world_size` ranks of the toy problem (with `launch` and the variables `extra`) and
// checks them against one process.
void expect_equal_to_one_process(int world_size, dist::LaunchOptions launch = dist::LaunchOptions(0),
                                 const dist::Environment& extra = {}) {
  TempDir dir;
  auto environment = dist::current_environment();
  environment.insert(extra.begin(), extra.end());
  const auto result = dist::launch(launch.nproc(world_size).executable(DIST_RANK),
                                   {"--out", dir.path(), "--timeout", "60"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.message << "\nrank 0: " << stderr_of(dir, 0);

  train::SingleProcess one;
  const auto reference = toy::train(toy::kSeed, one);
  const auto initial = toy::make_model(toy::kSeed)->parameters();
  double moved = 0;
  for (size_t i = 0; i < reference.size(); ++i) {
    moved = std::max(moved, (reference[i] - initial[i]).abs().max().item<double>());
  }
  ASSERT_GT(moved, 1e-3);  // training changed the parameters: the comparison means something

  const auto rank0 = load_rank(dir, 0);
  ASSERT_EQ(rank0.size(), reference.size() + 2);
  for (int rank = 0; rank < world_size; ++rank) {
    const auto tensors = load_rank(dir, rank);
    for (size_t i = 0; i < reference.size(); ++i) {
      EXPECT_TRUE(torch::equal(tensors[i], rank0[i])) << "rank " << rank << ", parameter " << i;
      EXPECT_LE((tensors[i] - reference[i]).abs().max().item<double>(), 1e-12)
          << "rank " << rank << ", parameter " << i;
    }
    // sum() of [rank, 1]; any(rank == world_size - 1) and any(false).
    EXPECT_TRUE(
        torch::equal(tensors[reference.size()],
                     torch::tensor({world_size * (world_size - 1) / 2.0, double(world_size)}, torch::kFloat64)));
    EXPECT_TRUE(torch::equal(tensors[reference.size() + 1], torch::tensor({1.0, 0.0}, torch::kFloat64)));
  }
}

TEST(DataParallel, ShardsAndTheirLossWeights) {
  const std::vector<int> batch{10, 11, 12, 13, 14, 15, 16};
  EXPECT_EQ(train::shard_of(batch, 0, 3), (std::vector<int>{10, 13, 16}));
  EXPECT_EQ(train::shard_of(batch, 1, 3), (std::vector<int>{11, 14}));
  EXPECT_EQ(train::shard_of(batch, 2, 3), (std::vector<int>{12, 15}));
  EXPECT_EQ(train::shard_of(std::vector<int>{10}, 1, 2), std::vector<int>{});
  EXPECT_EQ(train::shard_loss_weight(16, 16), 1.0);
  EXPECT_EQ(train::shard_loss_weight(3, 7), 3.0 / 7.0);
}

TEST(DataParallel, AWorldOfOneIsASingleProcess) {
  for (const auto& options : {std::optional<dist::WorldOptions>(), std::optional(dist::WorldOptions(1, 0, "", 0))}) {
    const auto data_parallel = dist::make_data_parallel(options);
    EXPECT_NE(dynamic_cast<train::SingleProcess*>(data_parallel.get()), nullptr);
    EXPECT_EQ(data_parallel->world_size(), 1);
    EXPECT_TRUE(data_parallel->is_main());
    auto values = torch::tensor({1.5, 2.0}, torch::kFloat64);
    data_parallel->sum(values);
    EXPECT_TRUE(torch::equal(values, torch::tensor({1.5, 2.0}, torch::kFloat64)));
    EXPECT_TRUE(data_parallel->any(true));
    EXPECT_FALSE(data_parallel->any(false));
  }
}

TEST(DataParallel, TwoRanksOnHalfBatchesEqualOneProcessOnTheWholeBatch) { expect_equal_to_one_process(2); }

TEST(DataParallel, ThreeRanksEqualOneProcessBitIdenticallyOnEveryRank) { expect_equal_to_one_process(3); }

// As under torchrun with TORCHELASTIC_USE_AGENT_STORE=True: the launcher (here, the test) hosts
// the store and every rank is a client; the keys of an earlier attempt do not disturb a restart.
TEST(DataParallel, RanksOfALauncherThatHostsTheStore) {
  const int port = dist::free_port();
  const auto agent = dist::connect_store(dist::WorldOptions(1, 0, "127.0.0.1", port), /*host=*/true);
  const auto earlier_attempt = dist::connect_store(dist::WorldOptions(1, 0, "127.0.0.1", port).attempt(0), false);
  earlier_attempt->set("joined/0", {1});  // what rank 0 of attempt 0 left behind
  expect_equal_to_one_process(2, dist::LaunchOptions(0).master_port(port),
                              {{"TORCHELASTIC_USE_AGENT_STORE", "True"}, {"TORCHELASTIC_RESTART_COUNT", "1"}});
}

// Starts `ranks` of a world of two with `arguments` after --out, and waits for them.
struct FaultRun {
  explicit FaultRun(const std::vector<std::string>& arguments, const std::vector<int>& ranks = {0, 1})
      : port(dist::free_port()), processes(ranks, 2, port, with_out(arguments)) {
    finished = processes.wait_all(60);
  }
  std::vector<std::string> with_out(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"--out", dir.path()});
    return arguments;
  }
  // Expects `rank` to have exited with status 1 and the error that contains `message`.
  void expect_failure(int rank, const std::string& message) const {
    ASSERT_TRUE(finished);
    EXPECT_EQ(processes.exit_code(rank), 1);
    const std::string errors = stderr_of(dir, rank);
    EXPECT_NE(errors.find(message), std::string::npos) << errors;
  }
  std::string master() const { return "127.0.0.1:" + std::to_string(port); }

  TempDir dir;
  int port;
  RankProcesses processes;
  bool finished = false;
};

TEST(DataParallelFaults, AKilledRankMakesTheOtherStopWithinTheTimeoutNamingIt) {
  FaultRun run({"--timeout", "4", "--fault", "die", "--fault-rank", "1", "--fault-step", "3"});
  run.expect_failure(0,
                     "dist_rank: rank 0: the allreduce of the gradients failed: rank 1 stopped responding "
                     "(no heartbeat for 1.2 s: exited, killed, stopped or unreachable)");
  EXPECT_LT(run.processes.end_time(0) - run.processes.end_time(1), 4.0);
}

TEST(DataParallelFaults, AStoppedRankMakesTheOtherStopAfterTheTimeoutNamingIt) {
  FaultRun run({"--timeout", "2", "--fault", "stop", "--fault-rank", "1", "--fault-step", "2"});
  EXPECT_FALSE(run.processes.exited(1));  // stopped, killed by the destructor
  run.expect_failure(0, "rank 1 stopped responding");
  // The backend's timeout, then 1 s (three heartbeats, at least 1 s) to tell who is at fault.
  const double seconds = run.processes.end_time(0) - run.processes.end_time(1);
  EXPECT_GT(seconds, 2.5);
  EXPECT_LT(seconds, 2.0 + 1.0 + 2.0);
}

TEST(DataParallelFaults, ARankThatIsAliveButElsewhereIsNamed) {
  FaultRun run({"--timeout", "2", "--fault", "sleep", "--fault-rank", "1", "--fault-step", "2"});
  run.expect_failure(0,
                     "the allreduce of the gradients failed: rank 1 did not reach it within 2 s "
                     "(alive, but stuck elsewhere)");
  // Rank 1 wakes up to a run that is over: it reads the verdict, or finds rank 0 gone.
  run.expect_failure(1, "dist_rank: rank 1: the allreduce of the gradients failed: rank ");
}

TEST(DataParallelFaults, TheMasterDyingIsNamed) {
  FaultRun run({"--timeout", "4", "--fault", "die", "--fault-rank", "0", "--fault-step", "3"});
  run.expect_failure(1,
                     "dist_rank: rank 1: the allreduce of the gradients failed: rank 0 (the master, hosting the "
                     "store at " +
                         run.master() + ") is unreachable");
}

TEST(DataParallelFaults, AMasterThatIsNotThere) {
  FaultRun run({"--timeout", "1.5"}, {1});
  run.expect_failure(1, "dist_rank: rank 1 cannot reach the master at " + run.master() + " within 1.5 s: ");
}

TEST(DataParallelFaults, ARankThatDoesNotComeIsNamed) {
  FaultRun run({"--timeout", "1.5"}, {0});
  run.expect_failure(
      0, "dist_rank: rank 1 of 2 did not join the run at " + run.master() + " within 1.5 s (seen from rank 0)");
}

}  // namespace
}  // namespace e3::testing
