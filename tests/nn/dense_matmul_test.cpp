// dense_matmul (src/nn/dense_matmul.h): float32 through oneDNN against the exact product in
// float64, forward and both gradients, for leading batch dimensions, with the bound of
// float32 dot products: |fl(a . b) - a . b| <= gamma_K sum_k |a_k b_k|, gamma_K = K u / (1 - K u),
// u = 2^-24, whatever the summation order (Higham, Accuracy and Stability of Numerical
// Algorithms, (3.5)); the inputs are float32 values, exact in float64.

#include "nn/dense_matmul.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

#include "gemm_checks.h"

namespace e3::nn {
namespace {

// Every element of `value` within gamma_K * bound of `exact` (bound: the products' |a||b| sums).
void expect_within(const torch::Tensor& value, const torch::Tensor& exact, const torch::Tensor& bound, int64_t k,
                   const char* what) {
  const auto excess = (value.to(torch::kDouble) - exact).abs() - e3::testing::float32_sum_gamma(k) * bound;
  EXPECT_LE(excess.max().item<double>(), 0.0) << what;
}

TEST(DenseMatmul, Float32MatchesTheExactProductAndGradients) {
  torch::manual_seed(11);
  const int64_t k = 128, m = 96;
  const auto x = torch::randn({3, 700, k}, torch::requires_grad());
  const auto w = torch::randn({k, m}, torch::requires_grad());
  const auto y = dense_matmul(x, w);
  ASSERT_EQ(y.sizes(), (std::vector<int64_t>{3, 700, m}));
  const auto x64 = x.detach().to(torch::kDouble), w64 = w.detach().to(torch::kDouble);
  expect_within(y, torch::matmul(x64, w64), torch::matmul(x64.abs(), w64.abs()), k, "forward");

  const auto g = torch::randn({3, 700, m});
  (y * g).sum().backward();
  const auto g64 = g.to(torch::kDouble);
  expect_within(x.grad(), torch::matmul(g64, w64.t()), torch::matmul(g64.abs(), w64.abs().t()), m, "grad x");
  const auto xr = x64.reshape({-1, k}), gr = g64.reshape({-1, m});
  expect_within(w.grad(), torch::matmul(xr.t(), gr), torch::matmul(xr.abs().t(), gr.abs()), xr.size(0), "grad w");
}

// The radial MLP's first layer: its input (the basis) needs no gradient, only the weight.
TEST(DenseMatmul, GradientOfTheWeightAlone) {
  const auto x = torch::randn({20, 8});
  const auto w = torch::randn({8, 5}, torch::requires_grad());
  dense_matmul(x, w).sum().backward();
  // d/dw sum(x w) = x^T 1: the column sums of x, in every column.
  const auto x64 = x.to(torch::kDouble);
  expect_within(w.grad(), x64.sum(0).unsqueeze(1).expand({8, 5}), x64.abs().sum(0).unsqueeze(1).expand({8, 5}), 20,
                "grad w");
}

TEST(DenseMatmul, Float64AndEmptyInputsGoThroughTorch) {
  const auto x = torch::randn({2, 4, 6}, torch::kDouble);
  const auto w = torch::randn({6, 3}, torch::kDouble);
  EXPECT_TRUE(torch::equal(dense_matmul(x, w), torch::matmul(x, w)));
  EXPECT_EQ(dense_matmul(torch::randn({0, 6}), torch::randn({6, 3})).sizes(), (std::vector<int64_t>{0, 3}));
  EXPECT_THROW(dense_matmul(torch::randn({4, 5}), torch::randn({6, 3})), std::invalid_argument);
  EXPECT_THROW(dense_matmul(torch::randn({4, 6}), torch::randn({6})), std::invalid_argument);
}

}  // namespace
}  // namespace e3::nn
