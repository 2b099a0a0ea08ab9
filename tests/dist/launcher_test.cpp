// The local launcher: the ranks' environment, failure propagation (SIGTERM, then SIGKILL after
// the grace period), forwarding of SIGINT, and a program that cannot be started. The ranks are
// launch_child, a test-only program.

#include "e3/dist/launcher.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <system_error>
#include <thread>

#include "files.h"

namespace e3::dist {
namespace {

using e3::testing::read_file;
using e3::testing::TempDir;

LaunchResult launch_children(const TempDir& dir, const std::string& mode, LaunchOptions options) {
  options.executable(LAUNCH_CHILD);
  Environment environment = current_environment();
  environment["E3_TEST_EXTRA"] = "passed through";
  return launch(options, {dir.path(), mode}, environment);
}

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

TEST(Launcher, EveryRankGetsTorchrunsVariables) {
  TempDir dir;
  const auto result = launch_children(dir, "env", LaunchOptions(2).threads_per_rank(2));
  ASSERT_EQ(result.exit_code, 0) << result.message;
  EXPECT_EQ(result.message, "");
  ASSERT_EQ(result.ranks.size(), 2u);
  std::string port;
  for (int rank = 0; rank < 2; ++rank) {
    EXPECT_EQ(result.ranks[size_t(rank)].description, "exited with status 0");
    const std::string text = read_file(dir.file("env." + std::to_string(rank)));
    const std::string r = std::to_string(rank);
    EXPECT_NE(
        text.find("RANK=" + r + "\nLOCAL_RANK=" + r + "\nWORLD_SIZE=2\nLOCAL_WORLD_SIZE=2\nMASTER_ADDR=127.0.0.1\n"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("OMP_NUM_THREADS=2\nE3_TEST_EXTRA=passed through\n"), std::string::npos) << text;
    const auto at = text.find("MASTER_PORT=") + 12;
    const std::string this_port = text.substr(at, text.find('\n', at) - at);
    EXPECT_GT(std::stoi(this_port), 0);
    if (rank == 1) {
      EXPECT_EQ(this_port, port);  // one master for both
    }
    port = this_port;
  }
}

TEST(Launcher, AFailingRankStopsTheOthersAndIsNamed) {
  TempDir dir;
  const auto result = launch_children(dir, "fail", LaunchOptions(3));
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.message, "rank 1 exited with status 3; stopped ranks 0, 2");
  EXPECT_EQ(read_file(dir.file("signal.0")), "SIGTERM\n");
  EXPECT_TRUE(result.ranks[0].terminated);
  EXPECT_FALSE(result.ranks[1].terminated);
}

TEST(Launcher, AKilledRankIsNamedWithItsSignal) {
  TempDir dir;
  const auto result = launch_children(dir, "killed", LaunchOptions(2));
  EXPECT_EQ(result.exit_code, 128 + SIGKILL);
  EXPECT_EQ(result.message, "rank 1 was killed by signal 9 (Killed); stopped rank 0");
}

TEST(Launcher, ARankIgnoringSigtermIsKilledAfterTheGracePeriod) {
  TempDir dir;
  const auto start = std::chrono::steady_clock::now();
  const auto result = launch_children(dir, "stubborn", LaunchOptions(2).grace(std::chrono::milliseconds(300)));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.ranks[0].description, "was killed by signal 9 (Killed)");
  EXPECT_FALSE(exists(dir.file("signal.0")));
  EXPECT_LT(seconds, 20.0);
}

TEST(Launcher, SigintIsForwardedToEveryRankAndAwaited) {
  TempDir dir;
  std::thread interrupter([&] {
    while (!exists(dir.file("ready.0")) || !exists(dir.file("ready.1"))) usleep(10000);
    kill(getpid(), SIGINT);  // the launcher owns SIGINT while it runs
  });
  const auto result = launch_children(dir, "wait", LaunchOptions(2));
  interrupter.join();
  EXPECT_EQ(result.exit_code, 0) << result.message;
  EXPECT_EQ(read_file(dir.file("signal.0")), "SIGINT\n");
  EXPECT_EQ(read_file(dir.file("signal.1")), "SIGINT\n");
}

TEST(Launcher, AProgramThatCannotStart) {
  TempDir dir;
  try {
    launch(LaunchOptions(2).executable(dir.file("missing")), {}, {});
    FAIL() << "no error";
  } catch (const std::system_error& error) {
    EXPECT_EQ(std::string(error.what()), "cannot start " + dir.file("missing") + ": No such file or directory");
  }
  EXPECT_THROW(launch(LaunchOptions(0), {}, {}), std::invalid_argument);
}

TEST(Launcher, DescribesExits) {
  EXPECT_EQ(describe_exit(0), "exited with status 0");
  EXPECT_EQ(describe_exit(2 << 8), "exited with status 2");
  EXPECT_EQ(describe_exit(SIGTERM), "was killed by signal 15 (Terminated)");
}

}  // namespace
}  // namespace e3::dist
