#pragma once
// The small runs that tests/train/shared_runs.cmake trains once per ctest run (the CTest
// fixture SharedRuns.Train), for the command-line tests that read them. A test executable
// that uses them needs E3_SHARED_RUNS defined (e3_add_test does) and the fixture in ctest
// (PROPERTIES FIXTURES_REQUIRED shared_runs).

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace e3::testing {

/// The directory of the shared run `name` (lnet, mlpnet or dipole) or of its log (lnet.log).
inline std::string shared_run(const std::string& name) { return std::string(E3_SHARED_RUNS) + "/" + name; }

/// The base of a test suite that reads the shared runs: where they have not been trained (the
/// test executable run by hand, not by ctest) each test is skipped with a message naming the
/// fixture, instead of failing on a missing file.
class SharedRunsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(shared_run("complete"))) {
      GTEST_SKIP() << "the shared runs in " << E3_SHARED_RUNS
                   << " are missing: they are trained by the CTest fixture SharedRuns.Train; run this test with "
                      "ctest (ctest --test-dir build -R <name>), which trains them first";
    }
  }
};

}  // namespace e3::testing
