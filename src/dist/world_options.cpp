#include "e3/dist/world_options.h"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <thread>
#include <tuple>

extern char** environ;

namespace e3::dist {
namespace {

// A setting and where it came from, for the error messages: "--rank 2" or "RANK=2 (environment)".
struct Setting {
  std::string value, source;
};

std::optional<Setting> from_argument(const std::optional<std::string>& argument, const std::string& flag) {
  if (!argument) return std::nullopt;
  return Setting{*argument, flag + " " + *argument};
}

std::optional<Setting> from_environment(const Environment& environment, const std::string& variable) {
  const auto found = environment.find(variable);
  if (found == environment.end()) return std::nullopt;
  return Setting{found->second, variable + "=" + found->second + " (environment)"};
}

// The command-line value when given, else the environment's.
std::optional<Setting> setting(const std::optional<std::string>& argument, const std::string& flag,
                               const Environment& environment, const std::string& variable) {
  if (auto given = from_argument(argument, flag)) return given;
  return from_environment(environment, variable);
}

long long integer(const Setting& setting, long long min, long long max, const std::string& what) {
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(setting.value.c_str(), &end, 10);
  if (setting.value.empty() || *end != '\0' || errno == ERANGE) {
    throw OptionError(setting.source + ": " + what + " must be an integer");
  }
  if (value < min || value > max) {
    throw OptionError(setting.source + ": " + what + " must be between " + std::to_string(min) + " and " +
                      std::to_string(max));
  }
  return value;
}

int port(const Setting& setting) { return static_cast<int>(integer(setting, 1, 65535, "the port")); }

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

Environment current_environment() {
  Environment environment;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string text = *entry;
    const auto equals = text.find('=');
    if (equals != std::string::npos) environment[text.substr(0, equals)] = text.substr(equals + 1);
  }
  return environment;
}

std::pair<std::string, int> parse_host_port(const std::string& text, const std::string& source) {
  std::string host, port_text;
  if (!text.empty() && text.front() == '[') {  // [IPv6]:PORT
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      throw OptionError(source + ": expected [ADDRESS]:PORT");
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) {
      throw OptionError(source + ": expected HOST:PORT (an IPv6 address in brackets: [ADDRESS]:PORT)");
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  if (host.empty()) throw OptionError(source + ": the host is empty");
  return {host, port(Setting{port_text, source})};
}

std::optional<WorldOptions> world_options(const WorldArguments& arguments, const Environment& environment) {
  // A backend this build cannot run is refused even where no other process is asked for.
  std::optional<Backend> backend;
  if (const auto given = from_argument(arguments.backend, "--dist-backend")) {
    try {
      backend = parse_backend(given->value);
    } catch (const std::invalid_argument& error) {
      throw OptionError(given->source + ": " + error.what());
    }
  }
  const auto world_size = setting(arguments.world_size, "--world-size", environment, "WORLD_SIZE");
  const auto rank = setting(arguments.rank, "--rank", environment, "RANK");
  if (!world_size && !rank) return std::nullopt;
  if (!world_size) throw OptionError(rank->source + " is given but the world size is not (--world-size or WORLD_SIZE)");
  const int size = static_cast<int>(integer(*world_size, 1, 1 << 20, "the world size"));
  if (!rank && size > 1) {
    throw OptionError(world_size->source + " is given but this process' rank is not (--rank or RANK)");
  }
  const int this_rank = rank ? static_cast<int>(integer(*rank, 0, std::numeric_limits<int>::max(), "the rank")) : 0;
  if (this_rank >= size) {
    throw OptionError(rank->source + " is not a rank of a world of " + std::to_string(size) + " (" +
                      world_size->source + "; ranks are 0 to " + std::to_string(size - 1) + ")");
  }

  std::string host = "127.0.0.1";
  int master_port = 29500;
  if (const auto master = from_argument(arguments.master, "--master")) {
    std::tie(host, master_port) = parse_host_port(master->value, master->source);
  } else {
    const auto addr = from_environment(environment, "MASTER_ADDR");
    const auto port_setting = from_environment(environment, "MASTER_PORT");
    if (size > 1 && !addr) {
      throw OptionError("a world of " + std::to_string(size) +
                        " processes needs the master's address (--master HOST:PORT or MASTER_ADDR and MASTER_PORT)");
    }
    if (addr) {
      if (addr->value.empty()) throw OptionError(addr->source + ": the master's address is empty");
      if (!port_setting) throw OptionError(addr->source + " is given but MASTER_PORT is not");
      host = addr->value;
    }
    if (port_setting) master_port = port(*port_setting);
  }

  WorldOptions options(size, this_rank, host, master_port);
  if (const auto local = from_environment(environment, "LOCAL_RANK")) {
    options.local_rank(static_cast<int>(integer(*local, 0, 1 << 20, "the local rank")));
  }
  if (const auto interface = from_environment(environment, "GLOO_SOCKET_IFNAME")) {
    options.network_interface(interface->value);
  }
  if (const auto agent = from_environment(environment, "TORCHELASTIC_USE_AGENT_STORE")) {
    options.agent_store(agent->value == "True");
  }
  if (const auto attempt = from_environment(environment, "TORCHELASTIC_RESTART_COUNT")) {
    options.attempt(static_cast<int>(integer(*attempt, 0, std::numeric_limits<int>::max(), "the restart count")));
  }
  if (const auto timeout = from_argument(arguments.timeout, "--dist-timeout")) {
    char* end = nullptr;
    const double seconds = std::strtod(timeout->value.c_str(), &end);
    if (timeout->value.empty() || *end != '\0' || !(seconds > 0.0) || seconds > 1e7) {
      throw OptionError(timeout->source + ": the timeout must be a positive number of seconds");
    }
    options.timeout(std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0 + 0.5)));
  }
  if (backend) options.backend(*backend);
  return options;
}

std::optional<int> threads_from_environment(const Environment& environment) {
  const auto threads = from_environment(environment, kThreadsVariable);
  if (!threads) return std::nullopt;
  return static_cast<int>(integer(*threads, 1, 1 << 16, "the thread count"));
}

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

}  // namespace e3::dist
