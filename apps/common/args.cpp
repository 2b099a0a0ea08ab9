#include "args.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace e3::cli {

bool ParsedArgs::given(const std::string& name) const {
  for (const auto& [option, value] : given_options_) {
    if (option == name) return true;
  }
  auto found = flags_.find(name);
  return found != flags_.end() && found->second;
}

std::optional<std::string> ParsedArgs::get(const std::string& name) const {
  auto found = values_.find(name);
  if (found == values_.end()) return std::nullopt;
  return found->second;
}

std::string ParsedArgs::value(const std::string& name) const {
  auto found = get(name);
  if (!found) throw UsageError("missing required option --" + name);
  return *found;
}

long long ParsedArgs::integer(const std::string& name) const {
  const std::string text = value(name);
  errno = 0;
  char* end = nullptr;
  const long long number = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE) {
    throw UsageError("--" + name + " expects an integer, got '" + text + "'");
  }
  return number;
}

double ParsedArgs::real(const std::string& name) const {
  const std::string text = value(name);
  errno = 0;
  char* end = nullptr;
  const double number = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE) {
    throw UsageError("--" + name + " expects a number, got '" + text + "'");
  }
  return number;
}

std::vector<std::string> ParsedArgs::values(const std::string& name) const {
  std::vector<std::string> all;
  for (const auto& [option, value] : given_options_) {
    if (option == name) all.push_back(value);
  }
  return all;
}

bool ParsedArgs::flag(const std::string& name) const {
  auto found = flags_.find(name);
  return found != flags_.end() && found->second;
}

const std::vector<std::string>& ParsedArgs::positional(const std::string& name) const {
  static const std::vector<std::string> none;
  auto found = positionals_.find(name);
  return found == positionals_.end() ? none : found->second;
}

ArgParser::ArgParser(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

ArgParser& ArgParser::positional(const std::string& name, const std::string& help, bool required, bool variadic) {
  positionals_.push_back({name, help, required, variadic});
  return *this;
}

ArgParser& ArgParser::option(const std::string& name, const std::string& metavar, const std::string& help,
                             std::optional<std::string> default_value) {
  options_.push_back({name, metavar, help, std::move(default_value), false});
  return *this;
}

ArgParser& ArgParser::flag(const std::string& name, const std::string& help) {
  options_.push_back({name, "", help, std::nullopt, true});
  return *this;
}

ArgParser& ArgParser::hidden_flag(const std::string& name) {
  options_.push_back({name, "", "", std::nullopt, true, true});
  return *this;
}

ArgParser& ArgParser::epilog(const std::string& text) {
  epilog_ = text;
  return *this;
}

const ArgParser::Option* ArgParser::find_option(const std::string& name) const {
  for (const auto& option : options_) {
    if (option.name == name) return &option;
  }
  return nullptr;
}

ParsedArgs ArgParser::parse(const std::vector<std::string>& args) const {
  ParsedArgs parsed;
  for (const auto& option : options_) {
    if (option.is_flag) parsed.flags_[option.name] = false;
    if (option.default_value) parsed.values_[option.name] = *option.default_value;
  }
  std::vector<std::string> positional_values;
  bool only_positionals = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!only_positionals && arg == "--") {
      only_positionals = true;
      continue;
    }
    if (only_positionals || arg.size() < 2 || arg.rfind("--", 0) != 0) {
      if (!only_positionals && arg.size() >= 2 && arg[0] == '-' && !std::isdigit(static_cast<unsigned char>(arg[1])) &&
          arg[1] != '.') {
        throw UsageError("unknown option '" + arg + "' (options are spelled --name; see --help)");
      }
      positional_values.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto equals = name.find('='); equals != std::string::npos) {
      inline_value = name.substr(equals + 1);
      name = name.substr(0, equals);
    }
    if (name == "help") throw HelpRequested(help());
    const Option* option = find_option(name);
    if (!option) throw UsageError("unknown option --" + name + " (see " + command_ + " --help)");
    if (option->is_flag) {
      if (inline_value) throw UsageError("--" + name + " takes no value");
      parsed.flags_[name] = true;
      continue;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value (" + option->metavar + ")");
      value = args[++i];
    }
    parsed.values_[name] = value;
    parsed.given_options_.emplace_back(name, value);
  }

  size_t next = 0;
  for (const auto& positional : positionals_) {
    auto& values = parsed.positionals_[positional.name];
    if (positional.variadic) {
      while (next < positional_values.size()) values.push_back(positional_values[next++]);
    } else if (next < positional_values.size()) {
      values.push_back(positional_values[next++]);
    }
    if (values.empty() && positional.required) throw UsageError("missing argument " + positional.name);
  }
  if (next < positional_values.size()) {
    throw UsageError("unexpected argument '" + positional_values[next] + "'");
  }
  return parsed;
}

std::string ArgParser::help() const {
  std::ostringstream out;
  out << "usage: " << command_;
  for (const auto& positional : positionals_) {
    const std::string shown = positional.name + (positional.variadic ? "..." : "");
    out << ' ' << (positional.required ? shown : "[" + shown + "]");
  }
  if (!options_.empty()) out << " [options]";
  out << "\n\n" << summary_ << "\n";
  if (!positionals_.empty()) {
    out << "\narguments:\n";
    for (const auto& positional : positionals_) {
      out << "  " << positional.name;
      out << std::string(positional.name.size() < 22 ? 24 - positional.name.size() : 2, ' ') << positional.help << "\n";
    }
  }
  out << "\noptions:\n";
  for (const auto& option : options_) {
    if (option.hidden) continue;
    std::string left = "--" + option.name + (option.is_flag ? "" : " " + option.metavar);
    out << "  " << left << std::string(left.size() < 22 ? 24 - left.size() : 2, ' ') << option.help;
    if (option.default_value) out << " (default: " << *option.default_value << ")";
    out << "\n";
  }
  out << "  --help                  show this help\n";
  if (!epilog_.empty()) out << "\n" << epilog_ << "\n";
  return out.str();
}

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

std::pair<std::string, std::string> key_value(const std::string& name, const std::string& text) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0) throw UsageError("--" + name + " expects KEY=VALUE, got '" + text + "'");
  return {text.substr(0, equals), text.substr(equals + 1)};
}

void parse_program_arguments(const ArgParser& parser, int argc, char** argv,
                             const std::function<void(const ParsedArgs&)>& read) {
  const std::string program = argc > 0 ? argv[0] : "program";
  const std::string name = program.substr(program.find_last_of('/') + 1);
  try {
    read(parser.parse(std::vector<std::string>(argv + 1, argv + argc)));
  } catch (const HelpRequested& help) {
    std::cout << help.what();
    std::exit(0);
  } catch (const UsageError& error) {
    std::cerr << name << ": error: " << one_line(error.what()) << "\n";
    std::exit(2);
  }
}

}  // namespace e3::cli
