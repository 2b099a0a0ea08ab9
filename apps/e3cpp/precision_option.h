#pragma once
// The --precision option of the commands that predict with a trained run (eval, predict): a
// run trained in float32 may predict with bfloat16 GEMM inputs, and the reverse.

#include <string>

#include "args.h"

namespace e3::cli {

/// Declares --precision P on `parser`.
void add_precision_option(ArgParser& parser);

/// The precision --precision names (a value of the configuration's "precision" key), "" when not
/// given (the run's own); a UsageError for any other name.
std::string precision_option(const ParsedArgs& parsed);

}  // namespace e3::cli
