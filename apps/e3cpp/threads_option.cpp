#include "threads_option.h"

#include <torch/torch.h>

namespace e3::cli {

void add_threads_option(ArgParser& parser) {
  parser.option("threads", "N", "LibTorch intra-op threads (default: the CPUs this process may use)");
}

void apply_threads_option(const ParsedArgs& parsed) {
  if (!parsed.given("threads")) return;
  const long long threads = parsed.integer("threads");
  if (threads < 1) throw UsageError("--threads must be at least 1");
  torch::set_num_threads(static_cast<int>(threads));
}

}  // namespace e3::cli
