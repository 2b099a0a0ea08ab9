// The e3cpp binary as a user sees it: help, version, and one-line errors with exit status 2.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "process.h"

namespace e3::testing {
namespace {


void expect_usage_error(const std::string& arguments, const std::string& message) {
  const auto result = e3cpp(arguments);
  EXPECT_EQ(result.exit_code, 2) << arguments;
  EXPECT_EQ(count_lines(result.err), 1) << arguments << ": " << result.err;
  EXPECT_NE(result.err.find(message), std::string::npos) << arguments << ": " << result.err;
  EXPECT_TRUE(result.out.empty()) << arguments;
}

TEST(Cli, HelpListsTheSubcommands) {
  const auto result = e3cpp("--help");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("usage: e3cpp <command>"), std::string::npos);
  EXPECT_NE(result.out.find("\n  rs "), std::string::npos) << result.out;
}

TEST(Cli, NoArgumentsPrintsUsageAndFails) {
  const auto result = e3cpp("");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.out.find("commands:"), std::string::npos);
}

TEST(Cli, Version) {
  const auto result = e3cpp("--version");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.rfind("e3cpp ", 0), 0u) << result.out;
  EXPECT_NE(result.out.find("LibTorch 1."), std::string::npos) << result.out;
}

TEST(Cli, EveryCommandHasHelp) {
  const auto list = e3cpp("--help").out;
  const auto start = list.find("commands:\n");
  ASSERT_NE(start, std::string::npos);
  std::istringstream lines(list.substr(start + 10));
  std::string line;
  int commands = 0;
  while (std::getline(lines, line) && !line.empty()) {
    const std::string name = line.substr(2, line.find(' ', 2) - 2);
    const auto result = e3cpp(name + " --help");
    EXPECT_EQ(result.exit_code, 0) << name;
    EXPECT_EQ(result.out.rfind("usage: e3cpp " + name, 0), 0u) << name << ": " << result.out;
    ++commands;
  }
  EXPECT_GT(commands, 0);
}

TEST(Cli, BadArgumentsGiveOneLineErrors) {
  expect_usage_error("frobnicate", "unknown command 'frobnicate'");
  expect_usage_error("rs", "missing argument RS");
  expect_usage_error("rs 1x0 --bogus", "unknown option --bogus");
  expect_usage_error("rs 1x0 2x1", "unexpected argument '2x1'");
  expect_usage_error("rs 3x", "invalid Rs \"3x\"");
  expect_usage_error("rs x1e", "invalid Rs \"x1e\"");
  expect_usage_error("rs -1x0e", "multiplicity must not be negative");
  expect_usage_error("rs -z", "unknown option '-z'");
}

TEST(Cli, RsPrintsTheLayout) {
  const auto result = e3cpp("rs 64x0e+21x1o --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["dim"], 127);
  EXPECT_EQ(json["list"], "[(64, 0, 1), (21, 1, -1)]");
  EXPECT_EQ(json["entries"][1]["offset"], 64);
  const auto text = e3cpp("rs '[(1, 0), (2, 0), (1, 1)]' --simplify");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("3x0+1x1"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace e3::testing
