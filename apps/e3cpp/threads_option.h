#pragma once
// The --threads option of the commands that compute.

#include "args.h"

namespace e3::cli {

/// Declares --threads N on `parser`.
void add_threads_option(ArgParser& parser);

/// Applies --threads when given (main() already uses every core otherwise); a UsageError
/// when it is not a positive integer.
void apply_threads_option(const ParsedArgs& parsed);

}  // namespace e3::cli
