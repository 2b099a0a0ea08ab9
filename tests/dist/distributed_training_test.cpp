// e3cpp train with several processes (e3::dist under train::Trainer), on loopback: a step of
// two ranks is the step of one process on the whole batch, the run resumes (with the same or
// another number of ranks), and a rank that dies makes the other stop within the timeout.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "background_process.h"
#include "e3/dist/launcher.h"
#include "e3/train/trained_run.h"
#include "files.h"
#include "process.h"

namespace e3::testing {
namespace {

const std::string kBinary = E3CPP_BINARY;

// A float64 L-Net on a 48-molecule training split in batches of 7: 7 steps an epoch, shards of
// 4 and 3 molecules (and 3 and 3 for the last batch of 6).
std::string train_command(const std::string& run, const std::string& extra) {
  return kBinary + " train --config " + std::string(E3_SOURCE_DIR) + "/tests/train/files/small-lnet.json --targets mu" +
         " --data " + sample_file() + " --split 48,16,16 --batch-size 7 --dtype float64 --out " + run + " " + extra;
}

std::map<std::string, torch::Tensor> last_parameters(const std::string& run) {
  auto opened = train::TrainedRun::open(run, train::RunCheckpoint::last);
  std::map<std::string, torch::Tensor> parameters;
  for (const auto& item : opened.model()->named_parameters()) parameters[item.key()] = item.value().clone();
  return parameters;
}

double max_relative_difference(const std::map<std::string, torch::Tensor>& a,
                               const std::map<std::string, torch::Tensor>& b) {
  double worst = 0.0;
  for (const auto& [name, value] : a) {
    const auto& other = b.at(name);
    worst = std::max(worst, ((value - other).abs().max() / value.abs().max().clamp_min(1e-300)).item<double>());
  }
  return worst;
}

// Lines of a file (0 when it does not exist yet).
int lines_of(const std::string& path) {
  std::ifstream in(path);
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines;
}

std::string metrics_without_times(const std::string& run) {
  // epoch .. rmse_mu: the columns that do not depend on the clock.
  std::istringstream in(read_file(run + "/metrics.csv"));
  std::string out;
  for (std::string line; std::getline(in, line);) {
    size_t end = 0;
    for (int field = 0; field < 8 && end != std::string::npos; ++field) end = line.find(',', end + (field > 0));
    out += line.substr(0, end) + "\n";
  }
  return out;
}

TEST(DistributedTraining, TwoRanksTakeTheStepsOfOneProcessOnTheWholeBatch) {
  TempDir dir;
  const auto one = run_process(train_command(dir.file("one"), "--epochs 2 --threads 1"));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto two = run_process(train_command(dir.file("two"), "--epochs 2 --nproc 2"));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_NE(two.out.find("2 processes, each on its share of every batch"), std::string::npos) << two.out;
  EXPECT_EQ(count_lines(two.out), count_lines(one.out)) << "rank 0 alone prints:\n" << two.out;
  // 14 Adam steps in float64: the same parameters but for the order of the gradients' sums.
  const double difference = max_relative_difference(last_parameters(dir.file("one")), last_parameters(dir.file("two")));
  EXPECT_LT(difference, 1e-10);
  // Validation split across the ranks and reduced: the same errors.
  const auto a = nlohmann::json::parse(run_process(kBinary + " eval " + dir.file("one") + " --split val --json").out);
  const auto b = nlohmann::json::parse(run_process(kBinary + " eval " + dir.file("two") + " --split val --json").out);
  EXPECT_NEAR(a["mae"].get<double>(), b["mae"].get<double>(), 1e-9 * a["mae"].get<double>());
  const std::string history = read_file(dir.file("two/metrics.csv"));
  EXPECT_EQ(std::count(history.begin(), history.end(), '\n'), 3) << history;
}

TEST(DistributedTraining, AnInterruptedRunResumesExactlyWithAsManyRanksAndCloselyWithFewer) {
  TempDir dir;
  // 70 steps: the Ctrl-C below, sent after the first validation (step 3), must arrive before
  // the last step even when a loaded machine delays the test's process.
  const std::string options = "--epochs 10 --validate-every '3 steps' --nproc 2";
  ASSERT_EQ(run_process(train_command(dir.file("straight"), options)).exit_code, 0);
  // Ctrl-C on the launcher after the first validation: every rank stops at the same step, rank 0 saves.
  for (const std::string name : {"same", "fewer"}) {
    BackgroundProcess training(train_command(dir.file(name), options));
    ASSERT_TRUE(eventually([&] { return lines_of(dir.file(name + "/metrics.csv")) >= 2; }, 60.0)) << training.err();
    training.signal(SIGINT);
    const auto status = training.wait(60.0);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(*status, 130) << training.out() << training.err();
    EXPECT_NE(training.out().find("interrupted at epoch"), std::string::npos) << training.out();
  }
  const auto same = run_process(kBinary + " train --resume " + dir.file("same") + " --nproc 2");
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(metrics_without_times(dir.file("same")), metrics_without_times(dir.file("straight")));
  EXPECT_EQ(max_relative_difference(last_parameters(dir.file("same")), last_parameters(dir.file("straight"))), 0.0);
  const auto fewer = run_process(kBinary + " train --resume " + dir.file("fewer") + " --threads 1");
  ASSERT_EQ(fewer.exit_code, 0) << fewer.err;
  EXPECT_LT(max_relative_difference(last_parameters(dir.file("fewer")), last_parameters(dir.file("straight"))), 1e-10);
}

TEST(DistributedTraining, ARankThatDiesStopsTheOtherWithinTheTimeout) {
  TempDir dir;
  const int port = dist::free_port();
  const std::string world = " --world-size 2 --master 127.0.0.1:" + std::to_string(port) + " --dist-timeout 4 --threads 1";
  BackgroundProcess rank0(train_command(dir.file("run"), "--epochs 500 --rank 0" + world));
  BackgroundProcess rank1(train_command(dir.file("run"), "--epochs 500 --rank 1" + world));
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(dir.file("run/metrics.csv")); }, 60.0))
      << rank0.err() << rank1.err();
  rank1.signal(SIGKILL);
  const auto killed = std::chrono::steady_clock::now();
  const auto status = rank0.wait(30.0);
  ASSERT_TRUE(status.has_value()) << "rank 0 still running 30 s after rank 1 died";
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
  EXPECT_NE(*status, 0);
  EXPECT_LT(seconds, 4.0 + 6.0);
  EXPECT_NE(rank0.err().find("rank 1"), std::string::npos) << rank0.err();
  EXPECT_EQ(count_lines(rank0.err()), 1) << rank0.err();
  // The run stays resumable from its last checkpoint.
  EXPECT_TRUE(std::filesystem::exists(dir.file("run/last.pt")));
}

// The process of rank `rank` that the launcher `launcher` started (its environment's RANK), or
// -1 while there is none.
pid_t rank_process(pid_t launcher, int rank) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string pid, command, state;
    pid_t parent = 0;
    if (!(stat >> pid >> command >> state >> parent) || parent != launcher) continue;
    const std::string environment = read_file((entry.path() / "environ").string());
    if (environment.find(std::string("RANK=") + std::to_string(rank) + '\0') != std::string::npos) {
      return static_cast<pid_t>(std::stol(name));
    }
  }
  return -1;
}

// `training`, launched with --nproc 2, after one of its ranks was killed: the launcher names
// the killed rank and stops the other (with SIGTERM, which arrives while it computes or waits
// in a collective), the survivor says what happened in one line, nothing crashes on the way
// out (glibc's heap checks abort with "corrupted ..." or "free(): ..."), and the run continues
// from its last checkpoint (what the resumed command printed is returned).
std::string expect_stopped_cleanly_and_resumable(BackgroundProcess& training, const std::string& run, int killed) {
  const auto status = training.wait(60.0);
  EXPECT_TRUE(status.has_value()) << "still running 60 s after rank " << killed << " died";
  if (!status) return "";
  EXPECT_NE(*status, 0);
  const std::string err = training.err();
  EXPECT_NE(err.find("rank " + std::to_string(killed) + " was killed by signal 9"), std::string::npos) << err;
  for (const std::string crash : {"corrupted", "free()", "malloc()", "Aborted", "terminate called", "Segmentation"}) {
    EXPECT_EQ(err.find(crash), std::string::npos) << err;
  }
  // One line from the surviving rank (unless the launcher had to kill it) and the launcher's.
  EXPECT_LE(count_lines(err), 2) << err;
  const auto resumed = run_process(kBinary + " train --resume " + run + " --max-minutes 0.02");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  return resumed.out;
}

// Trains `command` (a new run in `run`, --nproc 2) until metrics.csv has `lines` lines, then
// kills rank 1 and checks how the rest stops.
void kill_rank_one_after(const std::string& command, const std::string& run, int lines) {
  BackgroundProcess training(command);
  ASSERT_TRUE(eventually([&] { return lines_of(run + "/metrics.csv") >= lines; }, 60.0)) << training.err();
  ASSERT_TRUE(eventually([&] { return rank_process(training.pid(), 1) > 0; }, 5.0));
  kill(rank_process(training.pid(), 1), SIGKILL);
  expect_stopped_cleanly_and_resumable(training, run, 1);
}

TEST(DistributedTraining, ARankKilledDuringAStepStopsTheOtherCleanly) {
  TempDir dir;
  // 20 steps of 7 molecules between validations of 16: the ranks are almost always in a step.
  kill_rank_one_after(
      train_command(dir.file("run"), "--epochs 500 --nproc 2 --validate-every '20 steps' --dist-timeout 5"),
      dir.file("run"), 2);
}

TEST(DistributedTraining, ARankKilledDuringAValidationStopsTheOtherCleanly) {
  TempDir dir;
  // A validation of 600 molecules after every step of 7: the ranks are almost always validating.
  const std::string command = kBinary + " train --config " + std::string(E3_SOURCE_DIR) +
                              "/tests/train/files/small-lnet.json --targets mu --data " + sample_file() +
                              " --split 48,600,16 --batch-size 7 --dtype float64 --epochs 500 --nproc 2" +
                              " --validate-every '1 steps' --dist-timeout 5 --out " + dir.file("run");
  kill_rank_one_after(command, dir.file("run"), 3);
}

TEST(DistributedTraining, ARankKilledWhileRankZeroWritesACheckpointLeavesTheLastOneWhole) {
  TempDir dir;
  // L1Net's 5.6 million parameters (and Adam's state) make each of rank 0's checkpoint writes
  // long enough to catch its temporary file; rank 0 itself is killed in the middle of one.
  const std::string command = kBinary + " train --config " + std::string(E3_SOURCE_DIR) +
                              "/configs/l1net.json --targets mu --data " + sample_file() +
                              " --split 32,8,8 --batch-size 4 --epochs 500 --nproc 2" +
                              " --validate-every '1 steps' --dist-timeout 5 --out " + dir.file("run");
  BackgroundProcess training(command);
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(dir.file("run/last.pt")); }, 120.0)) << training.err();
  auto writing = [&] {
    for (const auto& entry : std::filesystem::directory_iterator(dir.file("run"))) {
      if (entry.path().filename().string().find(".pt.tmp.") != std::string::npos) return true;
    }
    return false;
  };
  bool caught = false;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!caught && std::chrono::steady_clock::now() < give_up) caught = writing();
  ASSERT_TRUE(caught) << "no checkpoint write seen in 60 s";
  kill(rank_process(training.pid(), 0), SIGKILL);
  ASSERT_TRUE(training.wait(60.0).has_value());
  EXPECT_TRUE(writing()) << "rank 0 was killed before it finished writing";
  const std::string resumed = expect_stopped_cleanly_and_resumable(training, dir.file("run"), 0);
  EXPECT_NE(resumed.find("removed 1 checkpoint file(s) a killed process was writing"), std::string::npos) << resumed;
  EXPECT_FALSE(writing()) << "the half-written checkpoint is gone";
}

TEST(DistributedTraining, BadDistributedOptionsAreOneLineErrors) {
  TempDir dir;
  const auto nproc_and_rank = run_process(train_command(dir.file("r"), "--nproc 2 --rank 1"));
  EXPECT_EQ(nproc_and_rank.exit_code, 2);
  EXPECT_NE(nproc_and_rank.err.find("--nproc starts the processes itself"), std::string::npos) << nproc_and_rank.err;
  const auto bad_rank = run_process(train_command(dir.file("r"), "--world-size 2 --rank 2 --master 127.0.0.1:1"));
  EXPECT_EQ(bad_rank.exit_code, 2);
  EXPECT_EQ(count_lines(bad_rank.err), 1) << bad_rank.err;
  EXPECT_NE(bad_rank.err.find("--rank 2"), std::string::npos) << bad_rank.err;
  if (!dist::backend_available(dist::Backend::nccl)) {
    for (const std::string world : {"", " --world-size 2 --rank 0 --master 127.0.0.1:1"}) {
      const auto nccl = run_process(train_command(dir.file("r"), "--dist-backend nccl" + world));
      EXPECT_EQ(nccl.exit_code, 2) << world;
      EXPECT_EQ(count_lines(nccl.err), 1) << nccl.err;
      EXPECT_NE(nccl.err.find("--dist-backend nccl: the nccl backend needs a CUDA build of LibTorch"),
                std::string::npos)
          << nccl.err;
      EXPECT_FALSE(std::filesystem::exists(dir.file("r"))) << "nothing trained" << world;
    }
  }
}

}  // namespace
}  // namespace e3::testing
