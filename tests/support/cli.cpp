#include "cli.h"

#include <gtest/gtest.h>

namespace e3::testing {

ProcessResult e3cpp(const std::string& arguments) { return run_process(std::string(E3CPP_BINARY) + " " + arguments); }

void expect_one_line_error(const ProcessResult& result, int exit_code, const std::string& message) {
  EXPECT_EQ(result.exit_code, exit_code) << result.out << result.err;
  EXPECT_EQ(count_lines(result.err), 1) << result.err;
  EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
}

size_t count_occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace e3::testing
