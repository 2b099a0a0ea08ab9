#include "small_k_gemm.h"

#include <immintrin.h>

#include <stdexcept>

#include "e3/nn/gemm_precision.h"

// Compiled for, and used only on, the CPUs of the fused op's bfloat16 kernels
// (bf16_pair_gemm.cpp): AVX-512 with AVX512_BF16 (AMD Zen 4 and later, Intel Cooper Lake and
// Sapphire Rapids and later), so that one view of the CPU (has_small_k_gemm()) turns the fused
// op's own kernels on or off together; an AVX-512 CPU without it (Skylake-X, Ice Lake) keeps
// oneDNN's sgemm.
#define E3_SMALL_K_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

namespace e3::nn::blas {
namespace {

// A block of C is kRows rows of kVectors 16-float vectors: 24 accumulators, with the kVectors
// values of B of one k and a broadcast value of A, in the 32 AVX-512 registers. Each k costs
// kVectors loads and kRows broadcasts for kRows * kVectors fused multiply-adds.
constexpr int kRows = 6;
constexpr int kVectors = 4;
constexpr int64_t kBlockColumns = 16 * kVectors;

// Rows [r0, r0 + R) and columns [c0, c0 + kBlockColumns) of C (those past n masked off by
// `masks`), summed over k in registers and then stored.
template <int R>
E3_SMALL_K_TARGET __attribute__((always_inline)) inline void block(int64_t m, int64_t n, int64_t k, const float* a,
                                                                   const float* b, int64_t r0, int64_t c0,
                                                                   const __mmask16* masks, float* c) {
  __m512 sum[R][kVectors];
  // Unrolled completely, so that sum and bv are registers (GCC keeps arrays in memory otherwise).
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < kVectors; ++v) sum[r][v] = _mm512_setzero_ps();
  }
  for (int64_t e = 0; e < k; ++e) {
    const float* be = b + e * n + c0;
    __m512 bv[kVectors];
#pragma GCC unroll 4
    for (int v = 0; v < kVectors; ++v) bv[v] = _mm512_maskz_loadu_ps(masks[v], be + 16 * v);
    const float* ae = a + e * m + r0;
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m512 x = _mm512_set1_ps(ae[r]);
#pragma GCC unroll 4
      for (int v = 0; v < kVectors; ++v) sum[r][v] = _mm512_fmadd_ps(x, bv[v], sum[r][v]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < kVectors; ++v) _mm512_mask_storeu_ps(c + (r0 + r) * n + c0 + 16 * v, masks[v], sum[r][v]);
  }
}

E3_SMALL_K_TARGET void run(int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c) {
  for (int64_t c0 = 0; c0 < n; c0 += kBlockColumns) {
    __mmask16 masks[kVectors];
    for (int v = 0; v < kVectors; ++v) {
      const int64_t columns = n - (c0 + 16 * v);
      masks[v] = columns >= 16 ? __mmask16(0xffff) : columns <= 0 ? __mmask16(0) : __mmask16((1u << columns) - 1);
    }
    int64_t r0 = 0;
    for (; r0 + kRows <= m; r0 += kRows) block<kRows>(m, n, k, a, b, r0, c0, masks, c);
    switch (m - r0) {
      case 5: block<5>(m, n, k, a, b, r0, c0, masks, c); break;
      case 4: block<4>(m, n, k, a, b, r0, c0, masks, c); break;
      case 3: block<3>(m, n, k, a, b, r0, c0, masks, c); break;
      case 2: block<2>(m, n, k, a, b, r0, c0, masks, c); break;
      case 1: block<1>(m, n, k, a, b, r0, c0, masks, c); break;
      default: break;
    }
  }
}

void check_cpu() {
  if (!has_small_k_gemm()) throw std::logic_error("small_k_gemm_tn: this CPU lacks AVX-512 with AVX512_BF16");
}

}  // namespace

bool has_small_k_gemm() {
  // oneDNN's view of the CPU (avx512_core_bf16 includes AVX-512 F, BW and VL), so that its
  // ONEDNN_MAX_CPU_ISA (e.g. AVX512_CORE) turns this kernel off with its own bfloat16 ones.
  static const bool has = cpu_has_bf16_gemm();
  return has;
}

void small_k_gemm_tn(int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c) {
  check_cpu();
  run(m, n, k, a, b, c);
}

}  // namespace e3::nn::blas
