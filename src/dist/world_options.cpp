#include "e3/dist/world_options.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <limits>
#include <sstream>
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

}  // namespace e3::dist
