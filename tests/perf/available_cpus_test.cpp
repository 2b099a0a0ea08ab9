// The CPUs a process may use (e3::perf::available_cpus()): its affinity mask within its cgroups'
// CPU quotas, v2's cpu.max and v1's cfs quota, read from a cgroup file system in a directory.

#include <gtest/gtest.h>
#include <sched.h>

#include <filesystem>
#include <thread>

#include "e3/perf/machine.h"
#include "files.h"

namespace e3::perf {
namespace {

TEST(AvailableCpus, CpuMaxLimit) {
  EXPECT_EQ(cpu_max_limit("max 100000\n"), std::nullopt);
  EXPECT_EQ(cpu_max_limit("100000 100000\n"), 1);
  EXPECT_EQ(cpu_max_limit("150000 100000\n"), 2);  // rounded up
  EXPECT_EQ(cpu_max_limit("400000 100000"), 4);
  EXPECT_EQ(cpu_max_limit("1000 100000\n"), 1);  // at least 1
  EXPECT_EQ(cpu_max_limit("200000 50000\n"), 4);
  for (const char* bad : {"", "\n", "100000", "max", "a 100000", "100000 0", "-5 100000", "1 2 3", "1.5 1"}) {
    EXPECT_EQ(cpu_max_limit(bad), std::nullopt) << bad;
  }
}

// A cgroup file system in a temporary directory: `files` (path under it, contents).
void write_cgroups(const std::string& root, const std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& [path, contents] : files) {
    std::filesystem::create_directories(std::filesystem::path(root + "/" + path).parent_path());
    e3::testing::write_text(root + "/" + path, contents);
  }
}

TEST(AvailableCpus, CgroupCpuLimitIsTheSmallestOfTheCgroupAndItsAncestors) {
  e3::testing::TempDir dir;
  const std::string root = dir.path();
  EXPECT_EQ(cgroup_cpu_limit(root, "0::/a/b\n"), std::nullopt);  // no cpu.max anywhere
  write_cgroups(root, {{"cpu.max", "max 100000\n"}, {"a/cpu.max", "300000 100000\n"}, {"a/b/cpu.max", "max 100000\n"}});
  EXPECT_EQ(cgroup_cpu_limit(root, "0::/a/b\n"), 3);  // the parent's
  write_cgroups(root, {{"a/b/cpu.max", "150000 100000\n"}});
  EXPECT_EQ(cgroup_cpu_limit(root, "0::/a/b\n"), 2);  // its own, smaller
  EXPECT_EQ(cgroup_cpu_limit(root, "0::/\n"), std::nullopt);
  // In a container the process' path is not under the mounted root: the root's limit holds.
  write_cgroups(root, {{"cpu.max", "100000 100000\n"}});
  EXPECT_EQ(cgroup_cpu_limit(root, "0::/system.slice/elsewhere.scope\n"), 1);

  // cgroup v1: the cpu controller's quota over its period; -1 is no limit; other controllers
  // and malformed lines are ignored.
  e3::testing::TempDir v1;
  write_cgroups(v1.path(), {{"cpu/cpu.cfs_quota_us", "-1\n"},
                            {"cpu/cpu.cfs_period_us", "100000\n"},
                            {"cpu/docker/x/cpu.cfs_quota_us", "250000\n"},
                            {"cpu/docker/x/cpu.cfs_period_us", "100000\n"},
                            {"memory/docker/x/cpu.max", "100000 100000\n"}});
  EXPECT_EQ(cgroup_cpu_limit(v1.path(), "5:memory:/docker/x\n4:cpu,cpuacct:/docker/x\n0::/\nnonsense\n"), 3);
  EXPECT_EQ(cgroup_cpu_limit(v1.path(), "4:cpuacct,cpu:/\n"), std::nullopt);
  EXPECT_EQ(cgroup_cpu_limit(v1.path(), "4:cpuset:/docker/x\n"), std::nullopt);
}

// `taskset -c 0`: a thread bound to one CPU may use one, however many the machine has.
TEST(AvailableCpus, AvailableCpusFollowTheAffinityMask) {
  int bound = 0;
  std::thread thread([&] {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    if (sched_setaffinity(0, sizeof one, &one) == 0) bound = available_cpus();
  });
  thread.join();
  EXPECT_EQ(bound, 1);
  cpu_set_t mine;
  ASSERT_EQ(sched_getaffinity(0, sizeof mine, &mine), 0);
  EXPECT_GE(available_cpus(), 1);
  EXPECT_LE(available_cpus(), CPU_COUNT(&mine));
}

}  // namespace
}  // namespace e3::perf
