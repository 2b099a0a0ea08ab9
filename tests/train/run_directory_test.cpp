// e3::train::RunDirectory: the checkpoints a killed writer left half-written are removed when
// the run is resumed, and only those.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "e3/train/run_directory.h"
#include "files.h"

namespace e3::testing {
namespace {

// The pid of a process that has exited.
pid_t exited_process() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

TEST(RunDirectory, RemovesOnlyTheCheckpointsOfWritersThatAreGone) {
  TempDir dir;
  const std::string run = dir.file("run");
  std::filesystem::create_directories(run);
  const std::string gone = std::to_string(exited_process());
  const std::string alive = std::to_string(getpid());
  for (const std::string& name : std::vector<std::string>{"last.pt", "last.pt.tmp." + gone, "best.pt.tmp." + gone, "best.pt.tmp." + alive,
                                 ".metrics.csv.tmp.abc123", "notes.pt.tmp.x1"}) {
    std::ofstream(run + "/" + name) << "x";
  }
  EXPECT_EQ(train::RunDirectory::named(run).remove_abandoned_checkpoints(), 2);
  EXPECT_TRUE(std::filesystem::exists(run + "/last.pt"));
  EXPECT_FALSE(std::filesystem::exists(run + "/last.pt.tmp." + gone));
  EXPECT_FALSE(std::filesystem::exists(run + "/best.pt.tmp." + gone));
  EXPECT_TRUE(std::filesystem::exists(run + "/best.pt.tmp." + alive)) << "a live process may be writing it";
  EXPECT_TRUE(std::filesystem::exists(run + "/.metrics.csv.tmp.abc123"));
  EXPECT_TRUE(std::filesystem::exists(run + "/notes.pt.tmp.x1"));
  EXPECT_EQ(train::RunDirectory::named(run).remove_abandoned_checkpoints(), 0);
}

}  // namespace
}  // namespace e3::testing
