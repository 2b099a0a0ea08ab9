#pragma once
// bfloat16 GEMM with float32 accumulation for the fused kernel's stage 3 under
// GemmPrecision::bf16_mixed (e3/nn/gemm_precision.h), through oneDNN's matmul primitive,
// which uses AMX tiles or AVX512_BF16 dot products where the CPU has them. Callable from
// inside at::parallel_for regions like blas::gemm (blas.h): each thread keeps its own
// primitives and stream, and nested parallelism must be off (allow_only_outer_parallelism()).

#include <cstdint>

namespace e3::nn::blas {

/// dst[i] = src[i] rounded to the nearest bfloat16 (ties to even); infinities stay infinite, a
/// NaN becomes a quiet NaN of the same sign and leading payload bits, a finite value beyond
/// bfloat16's largest rounds to infinity, and a subnormal becomes a zero of its sign (as
/// AVX512_BF16's conversion, which treats subnormal inputs as zero, does). Uses that instruction
/// where the CPU has it.
void to_bfloat16(const float* src, int64_t count, uint16_t* dst);

/// The same in plain C++: what to_bfloat16 runs on a CPU without AVX512_BF16, bit for bit.
void to_bfloat16_scalar(const float* src, int64_t count, uint16_t* dst);

/// C[m, n] = op(A) op(B) + beta C, row major, A and B bfloat16 (raw bits), C float32; op(A)
/// is [m, k], op(B) is [k, n]; beta is 0 or 1.
void gemm_bf16(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const uint16_t* a, int64_t lda,
               const uint16_t* b, int64_t ldb, float beta, float* c, int64_t ldc);

}  // namespace e3::nn::blas
