#pragma once
// The arithmetic of the GEMMs of the fused convolution (stages 2 and 3 and their backward,
// see src/nn/kernel_conv_cpu.cpp) and of the radial MLPs
// (dense_matmul): float32 throughout, or bfloat16 inputs with float32 accumulation and output.
// Weights, gradients, optimizer state and every reduction outside those GEMMs stay in the
// model's dtype either way.

#include <string>

namespace e3::nn {

enum class GemmPrecision {
  float32,
  bf16_mixed,  ///< bfloat16 inputs, float32 accumulation (AVX512_BF16 or AMX)
};

/// Parses "float32" or "bf16-mixed"; throws std::invalid_argument naming the valid values.
GemmPrecision gemm_precision_from_string(const std::string& name);
std::string to_string(GemmPrecision precision);

/// Whether this CPU multiplies bfloat16 in hardware (AVX512_BF16 or AMX, as oneDNN detects
/// it). Without, oneDNN would fall back to a reference loop many times slower than float32.
bool cpu_has_bf16_gemm();

/// Why `precision` cannot run on these inputs (`float32_inputs`: float32 tensors on the CPU),
/// or "" where it can: bf16-mixed needs float32 inputs and a CPU where cpu_has_bf16_gemm().
std::string unsupported_precision(GemmPrecision precision, bool float32_inputs);

}  // namespace e3::nn
