#pragma once
// Runs a shell command for tests and captures what it printed.

#include <string>

namespace e3::testing {

struct ProcessResult {
  int exit_code = -1;    ///< exit status; -1 when the process did not exit normally (a crash)
  std::string out, err;  ///< standard output and standard error
};

/// Runs `command` with /bin/sh and waits for it.
ProcessResult run_process(const std::string& command);

/// Number of lines of `text` (a final line without newline counts).
int count_lines(const std::string& text);

}  // namespace e3::testing
