#pragma once
// A small declarative command-line parser, the one of every program of the project: the e3cpp
// subcommands and the benchmarks (bench/).
//
// Each subcommand declares its positionals, options (--name VALUE or --name=VALUE) and
// flags (--name); parse() checks the arguments against the declaration and throws
// UsageError with a one-line message naming the offending argument. --help is implicit:
// parse() throws HelpRequested with the help text, which main() prints.

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace e3::cli {

/// A bad command line: printed as one line, exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// --help was given: what() is the command's help, printed on standard output, exit status 0.
class HelpRequested : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The result of ArgParser::parse().
class ParsedArgs {
 public:
  /// True when the option or flag was given on the command line (defaults do not count).
  bool given(const std::string& name) const;
  /// The value of an option (its default when not given); nullopt when neither exists.
  std::optional<std::string> get(const std::string& name) const;
  /// The value of an option that has a default or was given.
  std::string value(const std::string& name) const;
  /// The value of an option as a number; a UsageError names the option when it is not one.
  long long integer(const std::string& name) const;
  double real(const std::string& name) const;
  /// Whether a flag was given.
  bool flag(const std::string& name) const;
  /// The values of a positional (several for a variadic one).
  const std::vector<std::string>& positional(const std::string& name) const;
  /// Every value of an option given several times, in command-line order (none if not given).
  std::vector<std::string> values(const std::string& name) const;
  /// Options given on the command line, in order, as (name, value) pairs.
  const std::vector<std::pair<std::string, std::string>>& given_options() const { return given_options_; }

 private:
  friend class ArgParser;
  std::map<std::string, std::string> values_;  // option values, defaults included
  std::map<std::string, bool> flags_;
  std::vector<std::pair<std::string, std::string>> given_options_;
  std::map<std::string, std::vector<std::string>> positionals_;
};

/// Declares and parses the arguments of one subcommand.
class ArgParser {
 public:
  ArgParser(std::string command, std::string summary);

  /// A positional argument; `variadic` takes every remaining positional (at least one when required).
  ArgParser& positional(const std::string& name, const std::string& help, bool required = true, bool variadic = false);
  /// An option with a value; `default_value` is shown in the help and returned when absent.
  ArgParser& option(const std::string& name, const std::string& metavar, const std::string& help,
                    std::optional<std::string> default_value = std::nullopt);
  /// A boolean flag.
  ArgParser& flag(const std::string& name, const std::string& help);
  /// A flag that --help does not list: for processes a command starts itself.
  ArgParser& hidden_flag(const std::string& name);
  /// Extra text printed after the option list.
  ArgParser& epilog(const std::string& text);

  ParsedArgs parse(const std::vector<std::string>& args) const;
  std::string help() const;

 private:
  struct Positional {
    std::string name, help;
    bool required, variadic;
  };
  struct Option {
    std::string name, metavar, help;
    std::optional<std::string> default_value;
    bool is_flag;
    bool hidden = false;
  };
  const Option* find_option(const std::string& name) const;

  std::string command_, summary_, epilog_;
  std::vector<Positional> positionals_;
  std::vector<Option> options_;
};

/// `text` on one line (newlines become spaces): errors are printed as one line, whatever the
/// exception's text holds.
std::string one_line(std::string text);

/// "KEY=VALUE", the value of option --`name`, split at its first '='; a UsageError naming the
/// option when there is no key.
std::pair<std::string, std::string> key_value(const std::string& name, const std::string& text);

/// The command line of a program that is not an e3cpp subcommand (a benchmark): parses
/// argv[1..] and hands the result to `read`, which takes the program's options from it. --help
/// prints the help and exits with status 0; a UsageError, from parsing or from `read`, prints
/// "PROGRAM: error: MESSAGE" on one line and exits with status 2, so that a typo never runs a
/// benchmark for minutes with a default.
void parse_program_arguments(const ArgParser& parser, int argc, char** argv,
                             const std::function<void(const ParsedArgs&)>& read);

}  // namespace e3::cli
