#include "e3/nn/gemm_precision.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <stdexcept>

namespace e3::nn {

GemmPrecision gemm_precision_from_string(const std::string& name) {
  if (name == "float32") return GemmPrecision::float32;
  if (name == "bf16-mixed") return GemmPrecision::bf16_mixed;
  throw std::invalid_argument("unknown precision '" + name + "' (valid: float32, bf16-mixed)");
}

std::string to_string(GemmPrecision precision) {
  return precision == GemmPrecision::bf16_mixed ? "bf16-mixed" : "float32";
}

bool cpu_has_bf16_gemm() {
  // oneDNN's ISA values are cumulative bit masks: AMX includes avx512_core_bf16's bits.
  const auto bf16 = static_cast<unsigned>(dnnl::cpu_isa::avx512_core_bf16);
  return (static_cast<unsigned>(dnnl::get_effective_cpu_isa()) & bf16) == bf16;
}

std::string unsupported_precision(GemmPrecision precision, bool float32_inputs) {
  if (precision != GemmPrecision::bf16_mixed) return "";
  if (!float32_inputs) return "precision bf16-mixed needs float32 inputs";
  if (!cpu_has_bf16_gemm()) return "precision bf16-mixed needs a CPU with AVX512_BF16 or AMX";
  return "";
}

}  // namespace e3::nn
