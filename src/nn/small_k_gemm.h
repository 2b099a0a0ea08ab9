#pragma once
// C = A^T B with a small inner dimension k: the fused op's stage 2 in float32
// (kernel_conv_cpu.cpp), where an atom's T = X_A^T h_A sums over its edges (k = up to 28 in
// QM9) and each output value gets only k products. oneDNN's sgemm packs both inputs on every
// such call and reached about 45% of its peak there (AMD EPYC, 2 threads); this kernel reads
// them in place, keeps a block of C in AVX-512 registers through the k products and writes it
// once. (Under bf16-mixed, stage 2 runs in bf16_pair_gemm.h's kernel.) Runs on the calling
// thread, like blas::gemm (blas.h).

#include <cstdint>

namespace e3::nn::blas {

/// Whether this CPU runs small_k_gemm_tn (AVX-512 with AVX512_BF16, as oneDNN sees it:
/// cpu_has_bf16_gemm()); where it does not, callers use gemm().
bool has_small_k_gemm();

/// C[m, n] = A^T B, row major: A [k, m] (leading dimension m), B [k, n] (leading dimension n),
/// C [m, n] (leading dimension n), float32; k may be 0 (C = 0). The products are summed in the
/// order of k, so the result does not depend on the thread or the blocking.
void small_k_gemm_tn(int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c);

}  // namespace e3::nn::blas
