#pragma once
// What the tests of the GEMM kernels share (small_k_gemm, bf16_pair_gemm, dense_matmul):
// random inputs and the rounding bound of float32 sums.

#include <cstdint>
#include <random>
#include <vector>

namespace e3::testing {

/// Shape of C = A B: C [m, n], inner dimension k.
struct GemmShape {
  int64_t m, n, k;
};

/// `count` values drawn from N(0, 1).
std::vector<float> normal_floats(size_t count, std::mt19937& generator);

/// gamma_k = k u / (1 - k u) with float32's unit roundoff u = 2^-24: k float32 additions, in
/// any order, move a sum by at most gamma_k times the sum of its terms' magnitudes (Higham,
/// Accuracy and Stability of Numerical Algorithms, (3.5)).
double float32_sum_gamma(int64_t k);

}  // namespace e3::testing
