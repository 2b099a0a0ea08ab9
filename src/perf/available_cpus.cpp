#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <thread>

#include "e3/perf/machine.h"

namespace e3::perf {
namespace {

// The integer `text` spells in full (surrounding whitespace allowed, as in the cgroup files),
// nullopt otherwise.
std::optional<long long> whole_integer(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || errno == ERANGE) return std::nullopt;
  while (*end == ' ' || *end == '\n') ++end;
  if (*end != '\0') return std::nullopt;
  return value;
}

// A CPU bandwidth quota (microseconds of CPU time per `period` microseconds) as whole CPUs: a
// quota of 1.5 CPUs keeps 2 threads busy part of the time, better than 1 thread all of it.
std::optional<int> quota_cpus(std::optional<long long> quota, std::optional<long long> period) {
  if (!quota || !period || *quota <= 0 || *period <= 0) return std::nullopt;  // v1 writes -1 for none
  const long long cpus = *quota / *period + (*quota % *period != 0);
  return static_cast<int>(std::clamp<long long>(cpus, 1, std::numeric_limits<int>::max()));
}

// The contents of a small file (a cgroup or /proc file); "" when it cannot be read.
std::string read_small_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  return text.str();
}

// The CPUs this thread's affinity mask holds; 0 when it cannot be read. The mask grows until it
// holds every CPU the kernel knows of (the fixed cpu_set_t stops at 1024).
int affinity_cpus() {
  for (int size = CPU_SETSIZE; size <= (1 << 22); size *= 2) {
    const std::unique_ptr<cpu_set_t, void (*)(cpu_set_t*)> set(CPU_ALLOC(size), [](cpu_set_t* s) { CPU_FREE(s); });
    if (!set) return 0;
    const size_t bytes = CPU_ALLOC_SIZE(size);
    if (sched_getaffinity(0, bytes, set.get()) == 0) return CPU_COUNT_S(bytes, set.get());
    if (errno != EINVAL) return 0;
  }
  return 0;
}

}  // namespace

std::optional<int> cpu_max_limit(std::string_view contents) {
  std::istringstream fields{std::string(contents)};
  std::string quota, period, rest;
  if (!(fields >> quota >> period) || fields >> rest) return std::nullopt;
  return quota_cpus(whole_integer(quota), whole_integer(period));  // "max" is no integer: no limit
}

std::optional<int> cgroup_cpu_limit(const std::string& root, std::string_view proc_self_cgroup) {
  std::optional<int> limit;
  const auto tighten = [&](std::optional<int> cpus) {
    if (cpus && (!limit || *cpus < *limit)) limit = cpus;
  };
  std::istringstream lines{std::string(proc_self_cgroup)};
  for (std::string line; std::getline(lines, line);) {
    // "ID:CONTROLLERS:PATH": cgroup v2's line is "0::PATH", v1's name their controllers ("cpu,cpuacct").
    const auto first = line.find(':');
    const auto second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    const std::string controllers = "," + line.substr(first + 1, second - first - 1) + ",";
    const bool v2 = controllers == ",,";
    if (!v2 && controllers.find(",cpu,") == std::string::npos) continue;
    const std::string base = v2 ? root : root + "/cpu";
    // The cgroup and each of its ancestors: a parent's quota bounds its children's.
    for (std::string path = line.substr(second + 1);;) {
      const std::string dir = path == "/" ? base : base + path;
      if (v2) {
        tighten(cpu_max_limit(read_small_file(dir + "/cpu.max")));
      } else {
        tighten(quota_cpus(whole_integer(read_small_file(dir + "/cpu.cfs_quota_us")),
                           whole_integer(read_small_file(dir + "/cpu.cfs_period_us"))));
      }
      const auto slash = path.rfind('/');
      if (path == "/" || slash == std::string::npos) break;
      path = slash == 0 ? "/" : path.substr(0, slash);
    }
  }
  return limit;
}

int available_cpus() {
  int cpus = affinity_cpus();
  if (cpus < 1) cpus = static_cast<int>(std::thread::hardware_concurrency());
  if (const auto quota = cgroup_cpu_limit("/sys/fs/cgroup", read_small_file("/proc/self/cgroup"))) {
    cpus = cpus < 1 ? *quota : std::min(cpus, *quota);
  }
  return std::max(1, cpus);
}

}  // namespace e3::perf
