// The bf16-mixed per-atom GEMM of the fused op's backward pass (src/nn/bf16_pair_gemm.h).
//
// Packing is exact: each packed value is to_bfloat16() of its element of B, bit for bit, for
// shapes with odd k (the missing row is zero) and n off the 16-lane vectors; packing B given in
// bfloat16 moves its bits unchanged.
//
// The product: with Â and B̂ the bfloat16 values of A and B, each product Â[i, k] B̂[k, j] is
// exact in float32 (8 significant bits times 8 fit in 24, and the test's values are far from
// under- and overflow), so C differs from the exact C0 + sum_k Â B̂ only by the float32
// additions: k of them, in any order, bounded by gamma_k (|C0| + sum_k |Â B̂|) with
// gamma_k = k u / (1 - k u), u = 2^-24 (Higham, Accuracy and Stability of Numerical
// Algorithms, (3.5)). The reference sums in float64 from the same bfloat16 values. Where C is
// rounded to bfloat16 (bf16_pair_gemm_tn), round to nearest with 8 significant bits adds at
// most 2^-8 of the float32 sum's magnitude, itself at most |exact| + that bound. Writing C in
// pairs of rows (the tn product with row offsets) must give the row-major product's bits.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "e3/nn/gemm_precision.h"
#include "gemm_checks.h"
#include "nn/bf16_gemm.h"
#include "nn/bf16_pair_gemm.h"

namespace e3::nn::blas {
namespace {

using Shape = e3::testing::GemmShape;
using e3::testing::float32_sum_gamma;
using e3::testing::normal_floats;

// The fused op's shapes (m = an atom's edges or a chunk's rows; n, k = H = 128, d * P = 381 or 85
// and U = 21) and the kernel's remainders: rows past blocks of 6, columns past vectors of 16 and
// blocks of 64, odd k, and k = 0 (an atom without edges).
const Shape kShapes[] = {{1, 1, 1},      {5, 17, 3},     {6, 64, 2},     {7, 65, 33},   {13, 128, 381},
                         {18, 381, 128}, {28, 85, 128},  {18, 128, 85},  {381, 128, 19}, {3, 15, 31},
                         {12, 200, 64},  {4, 70, 0},     {63, 21, 381},  {47, 16, 9},   {45, 150, 40},
                         {31, 40, 7}};

float bfloat16_value(uint16_t bits) {
  const uint32_t word = uint32_t(bits) << 16;
  float value;
  std::memcpy(&value, &word, sizeof value);
  return value;
}

uint16_t bfloat16_bits(float value) {
  uint16_t bits;
  to_bfloat16_scalar(&value, 1, &bits);
  return bits;
}

// B [k, n] and its transpose, and the packing that both must give.
struct PackCase {
  Shape s;
  std::vector<float> b, bt;
  std::vector<uint16_t> expected;
};

PackCase pack_case(const Shape& s, std::mt19937& generator) {
  PackCase c{s, normal_floats(size_t(s.k * s.n), generator), std::vector<float>(size_t(s.k * s.n)), {}};
  for (int64_t r = 0; r < s.k; ++r) {
    for (int64_t j = 0; j < s.n; ++j) c.bt[size_t(j * s.k + r)] = c.b[size_t(r * s.n + j)];
  }
  const int64_t pairs = (s.k + 1) / 2;
  c.expected.assign(size_t(pairs * s.n * 2), 0);
  for (int64_t p = 0; p < pairs; ++p) {
    for (int64_t j = 0; j < s.n; ++j) {
      for (int64_t half = 0; half < 2; ++half) {
        const int64_t row = 2 * p + half;
        c.expected[size_t((p * s.n + j) * 2 + half)] = row < s.k ? bfloat16_bits(c.b[size_t(row * s.n + j)]) : 0;
      }
    }
  }
  return c;
}

TEST(Bf16PairGemm, PackingRowsOrColumnsGivesEachPairOfRowsRoundedToBfloat16) {
  if (!cpu_has_bf16_gemm()) GTEST_SKIP() << "this CPU lacks AVX-512 with AVX512_BF16";
  std::mt19937 generator(5);
  for (const auto& s : kShapes) {
    const auto c = pack_case(s, generator);
    const size_t size = c.expected.size();
    // The same B and Bt in bfloat16, rounded as packing rounds.
    std::vector<uint16_t> b16(c.b.size()), bt16(c.bt.size());
    to_bfloat16(c.b.data(), int64_t(c.b.size()), b16.data());
    to_bfloat16(c.bt.data(), int64_t(c.bt.size()), bt16.data());
    std::vector<std::vector<uint16_t>> packed(4, std::vector<uint16_t>(size + 8, 0xdead));  // + 8: nothing written past
    pack_pairs_of_rows(s.k, s.n, c.b.data(), s.n, packed[0].data());
    pack_pairs_of_columns(s.k, s.n, c.bt.data(), s.k, packed[1].data());
    pack_pairs_of_rows(s.k, s.n, b16.data(), s.n, packed[2].data());
    pack_pairs_of_columns(s.k, s.n, bt16.data(), s.k, packed[3].data());
    const char* names[4] = {"rows", "columns", "bfloat16 rows", "bfloat16 columns"};
    for (int v = 0; v < 4; ++v) {
      for (size_t i = 0; i < size; ++i) {
        ASSERT_EQ(packed[v][i], c.expected[i]) << names[v] << ": n " << s.n << ", k " << s.k << ", element " << i;
      }
      for (size_t i = size; i < size + 8; ++i) {
        EXPECT_EQ(packed[v][i], 0xdead) << names[v] << " wrote past the end: n " << s.n << ", k " << s.k;
      }
    }
  }
}

// How the product's C is given: float32 from zero, float32 added to, or rounded to bfloat16.
enum class Output { float32, accumulate, bfloat16 };

// The bound on |C - exact| for a float32 sum of k products of total `magnitude`, and its rounding
// to bfloat16 where C is bfloat16.
double product_bound(int64_t k, double exact, double magnitude, bool rounded) {
  const double sum_bound = float32_sum_gamma(k) * magnitude;
  return rounded ? sum_bound + std::ldexp(1.0, -8) * (std::abs(exact) + sum_bound) : sum_bound;
}

void expect_product_within_bound(Output output) {
  const bool accumulate = output == Output::accumulate, rounded = output == Output::bfloat16;
  std::mt19937 generator(7 + int(output));
  for (const auto& s : kShapes) {
    const auto c = pack_case(s, generator);
    std::vector<uint16_t> packed(c.expected.size());
    pack_pairs_of_rows(s.k, s.n, c.b.data(), s.n, packed.data());
    // A with an even leading dimension and, for an odd k, a zero after each row.
    const int64_t lda = (s.k + 1) / 2 * 2;
    const auto a = normal_floats(size_t(s.m * s.k), generator);
    std::vector<uint16_t> a16(size_t(s.m * lda), 0);
    for (int64_t i = 0; i < s.m; ++i) to_bfloat16(a.data() + i * s.k, s.k, a16.data() + i * lda);
    // C with two columns past n, which must keep their value.
    const int64_t ldc = s.n + 2;
    const auto start = normal_floats(size_t(s.m * ldc), generator);
    std::vector<float> out = start;
    std::vector<uint16_t> out16(start.size());
    to_bfloat16(start.data(), int64_t(start.size()), out16.data());
    const std::vector<uint16_t> start16 = out16;
    if (rounded) {
      bf16_pair_gemm(s.m, s.n, s.k, a16.data(), lda, packed.data(), out16.data(), ldc);
      for (size_t i = 0; i < out.size(); ++i) out[i] = bfloat16_value(out16[i]);
    } else {
      bf16_pair_gemm(s.m, s.n, s.k, a16.data(), lda, packed.data(), out.data(), ldc, accumulate);
    }
    for (int64_t i = 0; i < s.m; ++i) {
      for (int64_t j = 0; j < s.n; ++j) {
        const double c0 = accumulate ? start[size_t(i * ldc + j)] : 0.0;
        double exact = c0, magnitude = std::abs(c0);
        for (int64_t r = 0; r < s.k; ++r) {
          const double product = double(bfloat16_value(a16[size_t(i * lda + r)])) *
                                 double(bfloat16_value(c.expected[size_t((r / 2 * s.n + j) * 2 + r % 2)]));
          exact += product;
          magnitude += std::abs(product);
        }
        const double value = out[size_t(i * ldc + j)];
        ASSERT_LE(std::abs(value - exact), product_bound(s.k, exact, magnitude, rounded))
            << "m " << s.m << ", n " << s.n << ", k " << s.k << ": C[" << i << ", " << j << "]";
      }
      for (int64_t j = s.n; j < ldc; ++j) {
        if (rounded) {
          ASSERT_EQ(out16[size_t(i * ldc + j)], start16[size_t(i * ldc + j)]) << "wrote past n " << s.n;
        } else {
          ASSERT_EQ(out[size_t(i * ldc + j)], start[size_t(i * ldc + j)]) << "wrote past n " << s.n;
        }
      }
    }
  }
}

TEST(Bf16PairGemm, ProductIsTheBfloat16ProductsSummedInFloat32) {
  if (!cpu_has_bf16_gemm()) GTEST_SKIP() << "this CPU lacks AVX-512 with AVX512_BF16";
  expect_product_within_bound(Output::float32);
}

TEST(Bf16PairGemm, AccumulatesOntoC) {
  if (!cpu_has_bf16_gemm()) GTEST_SKIP() << "this CPU lacks AVX-512 with AVX512_BF16";
  expect_product_within_bound(Output::accumulate);
}

TEST(Bf16PairGemm, ProductRoundedToBfloat16) {
  if (!cpu_has_bf16_gemm()) GTEST_SKIP() << "this CPU lacks AVX-512 with AVX512_BF16";
  expect_product_within_bound(Output::bfloat16);
}

TEST(Bf16PairGemm, TransposedProductRoundedToBfloat16) {
  if (!cpu_has_bf16_gemm()) GTEST_SKIP() << "this CPU lacks AVX-512 with AVX512_BF16";
  std::mt19937 generator(9);
  for (const auto& s : kShapes) {
    const auto b = pack_case(s, generator);
    // At [k, m], packed like B.
    const auto at = pack_case(Shape{s.n, s.m, s.k}, generator);
    std::vector<uint16_t> at_packed(at.expected.size()), b_packed(b.expected.size());
    pack_pairs_of_rows(s.k, s.m, at.b.data(), s.m, at_packed.data());
    pack_pairs_of_rows(s.k, s.n, b.b.data(), s.n, b_packed.data());
    std::vector<uint16_t> out(size_t(s.m * s.n + 8), 0xdead);  // + 8: nothing written past C
    bf16_pair_gemm_tn(s.m, s.n, s.k, at_packed.data(), b_packed.data(), out.data());
    for (int64_t i = 0; i < s.m; ++i) {
      for (int64_t j = 0; j < s.n; ++j) {
        double exact = 0.0, magnitude = 0.0;
        for (int64_t r = 0; r < s.k; ++r) {
          const double product = double(bfloat16_value(bfloat16_bits(at.b[size_t(r * s.m + i)]))) *
                                 double(bfloat16_value(bfloat16_bits(b.b[size_t(r * s.n + j)])));
          exact += product;
          magnitude += std::abs(product);
        }
        const double value = bfloat16_value(out[size_t(i * s.n + j)]);
        ASSERT_LE(std::abs(value - exact), product_bound(s.k, exact, magnitude, true))
            << "m " << s.m << ", n " << s.n << ", k " << s.k << ": C[" << i << ", " << j << "]";
      }
    }
    for (size_t i = size_t(s.m * s.n); i < out.size(); ++i) ASSERT_EQ(out[i], 0xdead) << "wrote past C";
    // The same product written in pairs of rows: row i of C as row i + 1 of a matrix of m + 1
    // rows (so that pairs straddle C's rows), every other word, as the fused op's stage 2 writes T.
    std::vector<int64_t> row_offsets(size_t(s.m));
    for (int64_t i = 0; i < s.m; ++i) row_offsets[size_t(i)] = ((i + 1) / 2 * s.n) * 2 + (i + 1) % 2;
    std::vector<uint16_t> paired(size_t(((s.m + 2) / 2) * s.n * 2), 0xdead);
    bf16_pair_gemm_tn(s.m, s.n, s.k, at_packed.data(), b_packed.data(), row_offsets.data(), paired.data());
    std::vector<uint16_t> expected(paired.size(), 0xdead);
    for (int64_t i = 0; i < s.m; ++i) {
      for (int64_t j = 0; j < s.n; ++j) expected[size_t(row_offsets[size_t(i)] + 2 * j)] = out[size_t(i * s.n + j)];
    }
    for (size_t i = 0; i < paired.size(); ++i) {
      ASSERT_EQ(paired[i], expected[i]) << "pairs of rows: m " << s.m << ", n " << s.n << ", k " << s.k << ", word "
                                        << i;
    }
  }
}

}  // namespace
}  // namespace e3::nn::blas
