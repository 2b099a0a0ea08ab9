// dense_matmul (src/nn/dense_matmul.h): float32 through oneDNN against the exact product in
// float64, forward and both gradients, for leading batch dimensions, with the bound of
// float32 dot products: |fl(a . b) - a . b| <= gamma_K sum_k |a_k b_k|, gamma_K = K u / (1 - K u),
// u = 2^-24, whatever the summation order (Higham, Accuracy and Stability of Numerical
// Algorithms, (3.5)); the inputs are float32 values, exact in float64.

#include "nn/dense_matmul.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "e3/nn/gemm_precision.h"
#include "gemm_checks.h"
#include "nn/bf16_gemm.h"

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

// The bfloat16 value of each element of a float32 tensor (as the bf16-mixed GEMMs round their
// inputs), in float64.
torch::Tensor bfloat16_values(const torch::Tensor& t) {
  const auto values = t.detach().contiguous();
  std::vector<uint16_t> bits(size_t(values.numel()));
  blas::to_bfloat16_scalar(values.data_ptr<float>(), values.numel(), bits.data());
  std::vector<float> widened(bits.size());
  for (size_t i = 0; i < bits.size(); ++i) {
    const uint32_t word = uint32_t(bits[i]) << 16;
    std::memcpy(&widened[i], &word, sizeof word);
  }
  return torch::tensor(widened).view(values.sizes()).to(torch::kDouble);
}

// bf16-mixed rounds the inputs of each of the three GEMMs to bfloat16; the products of two
// bfloat16 values are exact in float32 and are summed in float32, so each result is within the
// float32 bound above of the exact product of the rounded inputs. Float32 inputs differ from
// their rounding by up to 2^-8 of their size, far more than that bound: a float32 GEMM would
// fail this test. K and M odd (the kernel reads its inputs in pairs along the sum).
TEST(DenseMatmul, Bf16MixedIsTheProductOfTheInputsRoundedToBfloat16) {
  if (!cpu_has_bf16_gemm()) GTEST_SKIP() << "this CPU has neither AVX512_BF16 nor AMX";
  torch::manual_seed(12);
  const int64_t k = 49, m = 95;
  const auto x = torch::randn({3, 700, k}, torch::requires_grad());
  const auto w = torch::randn({k, m}, torch::requires_grad());
  const auto y = dense_matmul(x, w, GemmPrecision::bf16_mixed);
  ASSERT_EQ(y.sizes(), (std::vector<int64_t>{3, 700, m}));
  const auto xr = bfloat16_values(x), wr = bfloat16_values(w);
  expect_within(y, torch::matmul(xr, wr), torch::matmul(xr.abs(), wr.abs()), k, "forward");

  const auto g = torch::randn({3, 700, m});
  (y * g).sum().backward();
  const auto gr = bfloat16_values(g);
  expect_within(x.grad(), torch::matmul(gr, wr.t()), torch::matmul(gr.abs(), wr.abs().t()), m, "grad x");
  const auto xf = xr.reshape({-1, k}), gf = gr.reshape({-1, m});
  expect_within(w.grad(), torch::matmul(xf.t(), gf), torch::matmul(xf.abs().t(), gf.abs()), xf.size(0), "grad w");
}

TEST(DenseMatmul, Bf16MixedNeedsFloat32) {
  const auto x = torch::randn({4, 6}, torch::kDouble), w = torch::randn({6, 3}, torch::kDouble);
  EXPECT_THROW(dense_matmul(x, w, GemmPrecision::bf16_mixed), std::invalid_argument);
}

}  // namespace
}  // namespace e3::nn
