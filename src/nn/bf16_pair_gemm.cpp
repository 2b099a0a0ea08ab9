#include "bf16_pair_gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "bf16_gemm.h"
#include "e3/nn/gemm_precision.h"

// GCC 12's AVX-512 shuffle intrinsics pass a deliberately undefined vector as the value of
// masked-off lanes (there are none here) and then warn that it may be used uninitialized.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

// BMI2 (for _pdep_u32) comes with every CPU that has AVX-512.
#define E3_PAIR_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16,bmi2")))

namespace e3::nn::blas {
namespace {

// The lanes [0, count) of a 16-lane vector.
inline __mmask16 first_lanes(int64_t count) {
  return count >= 16 ? __mmask16(0xffff) : count <= 0 ? __mmask16(0) : __mmask16((1u << count) - 1);
}

// Transposes a 16 x 16 matrix of 32-bit elements held one row per register: 32-bit, then
// 64-bit interleaves within each 128-bit lane leave 4 x 4 blocks transposed in place, and two
// rounds of 128-bit lane shuffles move the blocks.
E3_PAIR_TARGET __attribute__((always_inline)) inline void transpose16(__m512i r[16]) {
  __m512i a[16], b[16];
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) {
    a[2 * i] = _mm512_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
    a[2 * i + 1] = _mm512_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
  }
  // b[4 g + q], lane L: column 4 L + q of rows 4 g .. 4 g + 3.
#pragma GCC unroll 4
  for (int g = 0; g < 4; ++g) {
    b[4 * g] = _mm512_unpacklo_epi64(a[4 * g], a[4 * g + 2]);
    b[4 * g + 1] = _mm512_unpackhi_epi64(a[4 * g], a[4 * g + 2]);
    b[4 * g + 2] = _mm512_unpacklo_epi64(a[4 * g + 1], a[4 * g + 3]);
    b[4 * g + 3] = _mm512_unpackhi_epi64(a[4 * g + 1], a[4 * g + 3]);
  }
  // Row 4 L + q of the result: lane G from b[4 G + q], lane L.
#pragma GCC unroll 4
  for (int q = 0; q < 4; ++q) {
    const __m512i t0 = _mm512_shuffle_i32x4(b[q], b[4 + q], 0x44), t1 = _mm512_shuffle_i32x4(b[q], b[4 + q], 0xee);
    const __m512i t2 = _mm512_shuffle_i32x4(b[8 + q], b[12 + q], 0x44);
    const __m512i t3 = _mm512_shuffle_i32x4(b[8 + q], b[12 + q], 0xee);
    r[q] = _mm512_shuffle_i32x4(t0, t2, 0x88);
    r[4 + q] = _mm512_shuffle_i32x4(t0, t2, 0xdd);
    r[8 + q] = _mm512_shuffle_i32x4(t1, t3, 0x88);
    r[12 + q] = _mm512_shuffle_i32x4(t1, t3, 0xdd);
  }
}

// 16 values of a row of B as bfloat16 (the lanes past `mask` zero), from float32 (rounded as
// to_bfloat16() rounds) or from bfloat16 bits (as they are); load32() loads 32 values, two such.
E3_PAIR_TARGET __attribute__((always_inline)) inline __m256i load16(const float* src, __mmask16 mask) {
  return reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(mask, src)));
}
E3_PAIR_TARGET __attribute__((always_inline)) inline __m256i load16(const uint16_t* src, __mmask16 mask) {
  return _mm256_maskz_loadu_epi16(mask, src);
}
E3_PAIR_TARGET __attribute__((always_inline)) inline __m512i load32(const float* src, __mmask16 low, __mmask16 high) {
  return reinterpret_cast<__m512i>(
      _mm512_cvtne2ps_pbh(_mm512_maskz_loadu_ps(high, src + 16), _mm512_maskz_loadu_ps(low, src)));
}
E3_PAIR_TARGET __attribute__((always_inline)) inline __m512i load32(const uint16_t* src, __mmask16 low,
                                                                   __mmask16 high) {
  return _mm512_maskz_loadu_epi16(__mmask32(low) | (__mmask32(high) << 16), src);
}

template <typename Source>
E3_PAIR_TARGET void pack_rows(int64_t k, int64_t n, const Source* b, int64_t ldb, uint16_t* packed) {
  // Word 2 j of the result is word j of the first row's 16 values, word 2 j + 1 word j of the second's.
  alignas(64) static const uint16_t kInterleave[32] = {0, 16, 1, 17, 2,  18, 3,  19, 4,  20, 5,  21, 6,  22, 7,  23,
                                                       8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31};
  const __m512i interleave = _mm512_load_si512(kInterleave);
  const int64_t pairs = (k + 1) / 2;
  for (int64_t p = 0; p < pairs; ++p) {
    const Source* row0 = b + 2 * p * ldb;
    const bool second = 2 * p + 1 < k;
    uint16_t* out = packed + p * n * 2;
    for (int64_t j = 0; j < n; j += 16) {
      const __mmask16 mask = first_lanes(n - j);
      const __m256i v0 = load16(row0 + j, mask);
      const __m256i v1 = second ? load16(row0 + ldb + j, mask) : _mm256_setzero_si256();
      const __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(v0), v1, 1);
      _mm512_mask_storeu_epi32(out + 2 * j, mask, _mm512_permutexvar_epi16(interleave, both));
    }
  }
}

template <typename Source>
E3_PAIR_TARGET void pack_columns(int64_t k, int64_t n, const Source* bt, int64_t ldbt, uint16_t* packed) {
  const int64_t pairs = (k + 1) / 2;
  for (int64_t c0 = 0; c0 < n; c0 += 16) {
    const int64_t rows = std::min<int64_t>(16, n - c0);
    const __mmask16 columns = first_lanes(rows);
    for (int64_t p0 = 0; p0 < pairs; p0 += 16) {
      // Rows c0 .. c0 + 15 of Bt, values 2 p0 .. 2 p0 + 31 of each: 16 pairs, one 32-bit element each.
      const __mmask16 low = first_lanes(k - 2 * p0), high = first_lanes(k - 2 * p0 - 16);
      __m512i r[16];
#pragma GCC unroll 16
      for (int i = 0; i < 16; ++i) {
        r[i] = i < rows ? load32(bt + (c0 + i) * ldbt + 2 * p0, low, high) : _mm512_setzero_si512();
      }
      transpose16(r);
#pragma GCC unroll 16
      for (int j = 0; j < 16; ++j) {
        if (p0 + j < pairs) _mm512_mask_storeu_epi32(packed + ((p0 + j) * n + c0) * 2, columns, r[j]);
      }
    }
  }
}

// Where the kernel reads A's pairs: row i, pair p (values 2 p and 2 p + 1 of k).
struct RowMajorA {  // A [m, k] row major
  const uint16_t* a;
  int64_t lda;
  const uint16_t* pair(int64_t i, int64_t p) const { return a + i * lda + 2 * p; }
};
struct PackedTransposedA {  // At [k, m] packed by pack_pairs_of_rows()
  const uint16_t* at;
  int64_t m;
  const uint16_t* pair(int64_t i, int64_t p) const { return at + (p * m + i) * 2; }
};

// Where C's block goes: float32, starting from zero or from C, or rounded to bfloat16.
struct FloatC {
  float* c;
  int64_t ldc;
  bool accumulate;
  E3_PAIR_TARGET __attribute__((always_inline)) __m512 start(int64_t i, int64_t j, __mmask16 mask) const {
    return accumulate ? _mm512_maskz_loadu_ps(mask, c + i * ldc + j) : _mm512_setzero_ps();
  }
  E3_PAIR_TARGET __attribute__((always_inline)) void store(int64_t i, int64_t j, __mmask16 mask, __m512 value) const {
    _mm512_mask_storeu_ps(c + i * ldc + j, mask, value);
  }
};
struct Bfloat16C {
  uint16_t* c;
  int64_t ldc;
  E3_PAIR_TARGET __attribute__((always_inline)) __m512 start(int64_t, int64_t, __mmask16) const {
    return _mm512_setzero_ps();
  }
  E3_PAIR_TARGET __attribute__((always_inline)) void store(int64_t i, int64_t j, __mmask16 mask, __m512 value) const {
    _mm256_mask_storeu_epi16(c + i * ldc + j, mask, reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(value)));
  }
};
struct InterleavedBfloat16C {
  uint16_t* c;
  const int64_t* row_offsets;
  E3_PAIR_TARGET __attribute__((always_inline)) __m512 start(int64_t, int64_t, __mmask16) const {
    return _mm512_setzero_ps();
  }
  // Each value widened to 32 bits (its word first, then a zero word), only the first words stored.
  E3_PAIR_TARGET __attribute__((always_inline)) void store(int64_t i, int64_t j, __mmask16 mask, __m512 value) const {
    const __m512i words = _mm512_cvtepu16_epi32(reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(value)));
    _mm512_mask_storeu_epi16(c + row_offsets[i] + 2 * j, __mmask32(_pdep_u32(mask, 0x55555555u)), words);
  }
};

// A block of C is R rows of 4 16-float vectors (64 columns): 24 accumulators at most, with the 4
// vectors of B of one pair of k and a broadcast pair of A, in the 32 AVX-512 registers.
constexpr int kRows = 6;
constexpr int kVectors = 4;

// Rows [i0, i0 + R) and columns [j0, j0 + 64) of C (those past n masked off by `masks`).
template <int R, typename A, typename C>
E3_PAIR_TARGET __attribute__((always_inline)) inline void block(int64_t pairs, int64_t n, const A& a,
                                                                const uint16_t* packed, const C& c, int64_t i0,
                                                                int64_t j0, const __mmask16* masks) {
  __m512 sum[R][kVectors];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < kVectors; ++v) sum[r][v] = c.start(i0 + r, j0 + 16 * v, masks[v]);
  }
  for (int64_t p = 0; p < pairs; ++p) {
    const uint16_t* bp = packed + (p * n + j0) * 2;
    __m512bh bv[kVectors];
#pragma GCC unroll 4
    for (int v = 0; v < kVectors; ++v) {
      bv[v] = reinterpret_cast<__m512bh>(_mm512_maskz_loadu_epi32(masks[v], bp + 32 * v));
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      int32_t pair;
      std::memcpy(&pair, a.pair(i0 + r, p), sizeof pair);
      const auto x = reinterpret_cast<__m512bh>(_mm512_set1_epi32(pair));
#pragma GCC unroll 4
      for (int v = 0; v < kVectors; ++v) sum[r][v] = _mm512_dpbf16_ps(sum[r][v], x, bv[v]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < kVectors; ++v) c.store(i0 + r, j0 + 16 * v, masks[v], sum[r][v]);
  }
}

template <typename A, typename C>
E3_PAIR_TARGET void run(int64_t m, int64_t n, int64_t k, const A& a, const uint16_t* packed, const C& c) {
  const int64_t pairs = (k + 1) / 2;
  for (int64_t j0 = 0; j0 < n; j0 += 16 * kVectors) {
    __mmask16 masks[kVectors];
    for (int v = 0; v < kVectors; ++v) masks[v] = first_lanes(n - (j0 + 16 * v));
    int64_t i0 = 0;
    for (; i0 + kRows <= m; i0 += kRows) block<kRows>(pairs, n, a, packed, c, i0, j0, masks);
    switch (m - i0) {
      case 5: block<5>(pairs, n, a, packed, c, i0, j0, masks); break;
      case 4: block<4>(pairs, n, a, packed, c, i0, j0, masks); break;
      case 3: block<3>(pairs, n, a, packed, c, i0, j0, masks); break;
      case 2: block<2>(pairs, n, a, packed, c, i0, j0, masks); break;
      case 1: block<1>(pairs, n, a, packed, c, i0, j0, masks); break;
      default: break;
    }
  }
}

void check_cpu(const char* function) {
  static const bool has = cpu_has_bf16_gemm();
  if (!has) throw std::logic_error(std::string(function) + ": this CPU lacks AVX-512 with AVX512_BF16");
}

}  // namespace

void to_pair_rows(const float* src, int64_t rows, int64_t cols, uint16_t* a) {
  const int64_t ld = even(cols);
  for (int64_t i = 0; i < rows; ++i) {
    to_bfloat16(src + i * cols, cols, a + i * ld);
    if (ld > cols) a[i * ld + cols] = 0;
  }
}

void pack_pairs_of_rows(int64_t k, int64_t n, const float* b, int64_t ldb, uint16_t* packed) {
  check_cpu("pack_pairs_of_rows");
  pack_rows(k, n, b, ldb, packed);
}

void pack_pairs_of_columns(int64_t k, int64_t n, const float* bt, int64_t ldbt, uint16_t* packed) {
  check_cpu("pack_pairs_of_columns");
  pack_columns(k, n, bt, ldbt, packed);
}

void pack_pairs_of_rows(int64_t k, int64_t n, const uint16_t* b, int64_t ldb, uint16_t* packed) {
  check_cpu("pack_pairs_of_rows");
  pack_rows(k, n, b, ldb, packed);
}

void pack_pairs_of_columns(int64_t k, int64_t n, const uint16_t* bt, int64_t ldbt, uint16_t* packed) {
  check_cpu("pack_pairs_of_columns");
  pack_columns(k, n, bt, ldbt, packed);
}

void bf16_pair_gemm(int64_t m, int64_t n, int64_t k, const uint16_t* a, int64_t lda, const uint16_t* packed, float* c,
                    int64_t ldc, bool accumulate) {
  check_cpu("bf16_pair_gemm");
  run(m, n, k, RowMajorA{a, lda}, packed, FloatC{c, ldc, accumulate});
}

void bf16_pair_gemm(int64_t m, int64_t n, int64_t k, const uint16_t* a, int64_t lda, const uint16_t* packed,
                    uint16_t* c, int64_t ldc) {
  check_cpu("bf16_pair_gemm");
  run(m, n, k, RowMajorA{a, lda}, packed, Bfloat16C{c, ldc});
}

void bf16_pair_gemm_tn(int64_t m, int64_t n, int64_t k, const uint16_t* at_packed, const uint16_t* b_packed,
                       uint16_t* c) {
  check_cpu("bf16_pair_gemm_tn");
  run(m, n, k, PackedTransposedA{at_packed, m}, b_packed, Bfloat16C{c, n});
}

void bf16_pair_gemm_tn(int64_t m, int64_t n, int64_t k, const uint16_t* at_packed, const uint16_t* b_packed,
                       const int64_t* row_offsets, uint16_t* c) {
  check_cpu("bf16_pair_gemm_tn");
  run(m, n, k, PackedTransposedA{at_packed, m}, b_packed, InterleavedBfloat16C{c, row_offsets});
}

void bf16_pair_gemm_tn(int64_t m, int64_t n, int64_t k, const uint16_t* at_packed, const uint16_t* b_packed,
                       float* c, bool accumulate) {
  check_cpu("bf16_pair_gemm_tn");
  run(m, n, k, PackedTransposedA{at_packed, m}, b_packed, FloatC{c, n, accumulate});
}

}  // namespace e3::nn::blas
