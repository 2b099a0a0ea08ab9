#pragma once
// The command line of a benchmark: "--name value" options and "--name" switches, each bound to
// a variable (or a callback, for options given several times), and at most one positional
// argument. Anything else -- an unknown option, a missing or malformed value -- prints one
// line naming the program and the option and exits with status 2: a benchmark is a tool, and
// a typo must not run for minutes with a default.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace e3::bench {

class BenchArguments {
 public:
  explicit BenchArguments(std::string program) : program_(std::move(program)) {}

  /// `--name VALUE`, given any number of times: `handle(VALUE)` each time, in command-line order.
  BenchArguments& each(const std::string& name, std::function<void(const std::string&)> handle) {
    options_[name] = std::move(handle);
    return *this;
  }
  BenchArguments& value(const std::string& name, std::string& target) {
    return each(name, [&target](const std::string& text) { target = text; });
  }
  BenchArguments& value(const std::string& name, int64_t& target) {
    return each(name, [&target](const std::string& text) { target = parse_number<int64_t>(text); });
  }
  BenchArguments& value(const std::string& name, int& target) {
    return each(name, [&target](const std::string& text) {
      const int64_t number = parse_number<int64_t>(text);
      if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
        throw std::out_of_range("out of range");
      }
      target = static_cast<int>(number);
    });
  }
  BenchArguments& value(const std::string& name, uint64_t& target) {
    return each(name, [&target](const std::string& text) { target = parse_number<uint64_t>(text); });
  }
  BenchArguments& value(const std::string& name, double& target) {
    return each(name, [&target](const std::string& text) { target = parse_number<double>(text); });
  }
  /// `--name` without a value sets `target` to true.
  BenchArguments& flag(const std::string& name, bool& target) {
    flags_[name] = &target;
    return *this;
  }
  /// An argument that does not start with "--" (at most one).
  BenchArguments& positional(std::string& target) {
    positional_ = &target;
    return *this;
  }

  void parse(int argc, char** argv) const {
    bool positional_seen = false;
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg.rfind("--", 0) != 0) {
        if (!positional_ || positional_seen) fail("unexpected argument " + arg);
        *positional_ = arg;
        positional_seen = true;
      } else if (const auto flag = flags_.find(arg.substr(2)); flag != flags_.end()) {
        *flag->second = true;
      } else if (const auto option = options_.find(arg.substr(2)); option != options_.end()) {
        if (i + 1 >= argc) fail(arg + " needs a value");
        const std::string text = argv[++i];
        try {
          option->second(text);
        } catch (const std::exception& error) {
          fail(arg + " " + text + ": " + error.what());
        }
      } else {
        fail("unknown argument " + arg);
      }
    }
  }

  /// "KEY=VALUE" -> {KEY, VALUE}, for options that change a configuration key; throws
  /// std::invalid_argument (reported by parse() with the option) on text without a key.
  static std::pair<std::string, std::string> assignment(const std::string& text) {
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0) throw std::invalid_argument("expected KEY=VALUE");
    return {text.substr(0, equals), text.substr(equals + 1)};
  }

  /// Prints "PROGRAM: MESSAGE" and exits with status 2.
  [[noreturn]] void fail(const std::string& message) const {
    std::fprintf(stderr, "%s: %s\n", program_.c_str(), message.c_str());
    std::exit(2);
  }

 private:
  template <typename Number>
  static Number parse_number(const std::string& text) {
    size_t used = 0;
    Number number{};
    try {
      if constexpr (std::is_same_v<Number, double>) number = std::stod(text, &used);
      else if constexpr (std::is_same_v<Number, uint64_t>) number = std::stoull(text, &used);
      else number = std::stoll(text, &used);
    } catch (const std::logic_error&) {  // std::stoll and friends name only themselves
      used = 0;
    }
    // std::stoull reads "-1" as the largest value: a sign is no unsigned number.
    const bool negative_unsigned = std::is_same_v<Number, uint64_t> && text.find('-') != std::string::npos;
    if (text.empty() || used != text.size() || negative_unsigned) throw std::invalid_argument("not a number");
    return number;
  }

  std::string program_;
  std::map<std::string, std::function<void(const std::string&)>> options_;
  std::map<std::string, bool*> flags_;
  std::string* positional_ = nullptr;
};

}  // namespace e3::bench
