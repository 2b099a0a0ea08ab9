// The fused op's float32 stage-2 kernel (src/nn/small_k_gemm.h): C = A^T B summed in the order
// of k, so that each value is exactly the chain of float32 fused multiply-adds written out here.
// Shapes cover the kernel's row blocks (6) and column blocks (64) with their remainders, and
// k = 0.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "gemm_checks.h"
#include "nn/small_k_gemm.h"

namespace e3::nn::blas {
namespace {

using Shape = e3::testing::GemmShape;
using e3::testing::normal_floats;

const Shape kShapes[] = {{1, 1, 1},  {5, 17, 3},  {6, 64, 2},  {7, 65, 1},   {13, 128, 18},
                         {85, 128, 29}, {381, 128, 7}, {12, 200, 0}, {3, 15, 11}, {64, 63, 5}};

// C[r, c] = fma(A[k-1, r], B[k-1, c], ... fma(A[0, r], B[0, c], 0)), in float32.
std::vector<float> fma_chain(const Shape& s, const std::vector<float>& a, const std::vector<float>& b) {
  std::vector<float> c(size_t(s.m * s.n), 0.0f);
  for (int64_t r = 0; r < s.m; ++r) {
    for (int64_t col = 0; col < s.n; ++col) {
      float sum = 0.0f;
      for (int64_t e = 0; e < s.k; ++e) sum = std::fma(a[size_t(e * s.m + r)], b[size_t(e * s.n + col)], sum);
      c[size_t(r * s.n + col)] = sum;
    }
  }
  return c;
}

TEST(SmallKGemm, EachValueIsTheChainOfFusedMultiplyAddsInTheOrderOfK) {
  if (!has_small_k_gemm()) GTEST_SKIP() << "this CPU lacks AVX-512 with AVX512_BF16";
  std::mt19937 generator(3);
  for (const auto& s : kShapes) {
    const auto a = normal_floats(size_t(s.k * s.m), generator), b = normal_floats(size_t(s.k * s.n), generator);
    std::vector<float> c(size_t(s.m * s.n), std::nanf(""));  // every value must be written
    small_k_gemm_tn(s.m, s.n, s.k, a.data(), b.data(), c.data());
    const auto expected = fma_chain(s, a, b);
    EXPECT_EQ(std::memcmp(c.data(), expected.data(), c.size() * sizeof(float)), 0)
        << "m " << s.m << ", n " << s.n << ", k " << s.k;
  }
}

}  // namespace
}  // namespace e3::nn::blas
