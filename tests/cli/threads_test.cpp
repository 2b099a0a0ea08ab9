// The default thread count of every command is the CPUs the process may use, not the machine's:
// `taskset -c 0 e3cpp ...` computes on one thread. e3cpp bench reports the count it ran with.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli.h"
#include "e3/perf/machine.h"
#include "process.h"

namespace e3::testing {
namespace {

// A small network on the embedded sample, without --threads: the default decides.
const std::string kBench =
    " bench --representation 4x0+2x1 --layers 2 --radial-hidden 8 --batch 4 --steps 1 --reference-steps 0 --json";

int threads_of(const ProcessResult& result) {
  EXPECT_EQ(result.exit_code, 0) << result.err;
  if (result.exit_code != 0) return -1;
  return nlohmann::json::parse(result.out).at("threads").get<int>();
}

TEST(Threads, TheDefaultIsTheCpusOfTheAffinityMask) {
  if (run_process("command -v taskset").exit_code != 0) GTEST_SKIP() << "taskset (util-linux) is not installed";
  EXPECT_EQ(threads_of(run_process("taskset -c 0 " + std::string(E3CPP_BINARY) + kBench)), 1);
  EXPECT_EQ(threads_of(e3cpp(kBench)), perf::available_cpus());
}

}  // namespace
}  // namespace e3::testing
