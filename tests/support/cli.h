#pragma once
// The e3cpp binary as the command-line tests run it.

#include <string>

#include "process.h"

namespace e3::testing {

/// Runs `e3cpp ARGUMENTS` (the binary of this build) with /bin/sh and waits for it.
ProcessResult e3cpp(const std::string& arguments);

/// Expects `result` to have exited with `exit_code` and one line on standard error containing
/// `message` (the project's rule for bad input).
void expect_one_line_error(const ProcessResult& result, int exit_code, const std::string& message);

/// How often `what` occurs in `text`.
size_t count_occurrences(const std::string& text, const std::string& what);

}  // namespace e3::testing
