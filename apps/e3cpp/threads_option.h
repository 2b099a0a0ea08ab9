#pragma once
// The --threads option of the commands that compute.

#include "args.h"

namespace e3::cli {

/// Declares --threads N on `parser`.
void add_threads_option(ArgParser& parser);

/// Applies --threads when given (otherwise main() has set e3::perf::available_cpus(): the
/// CPUs of the affinity mask, within the cgroup quota); a UsageError when it is not a positive
/// integer.
void apply_threads_option(const ParsedArgs& parsed);

}  // namespace e3::cli
