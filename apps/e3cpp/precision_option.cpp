#include "precision_option.h"

#include <stdexcept>

#include "e3/nn/gemm_precision.h"

namespace e3::cli {

void add_precision_option(ArgParser& parser) {
  parser.option("precision", "P",
                "the convolutions' GEMM inputs: float32, or bf16-mixed (bfloat16 inputs, float32 sums; on a CPU\n"
                "with AVX512_BF16 or AMX) whatever the run was trained with (default: the run's)");
}

std::string precision_option(const ParsedArgs& parsed) {
  if (!parsed.given("precision")) return "";
  const std::string name = parsed.value("precision");
  try {
    nn::gemm_precision_from_string(name);
  } catch (const std::invalid_argument& error) {
    throw UsageError(std::string("--precision: ") + error.what());
  }
  return name;
}

}  // namespace e3::cli
