// The MLP of the radial model (2.34)-(2.35) and the output blocks (Figure 3.6): shapes, the N(0, 1) / sqrt(fan_in) parameterization and its
// unit-variance output at initialization, scale_outputs, the linear model of 0 layers.

#include "e3/nn/mlp.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace e3::nn {
namespace {

double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

std::map<std::string, torch::Tensor> parameters_of(const MLP& mlp) {
  std::map<std::string, torch::Tensor> parameters;
  for (const auto& item : mlp->named_parameters()) parameters[item.key()] = item.value();
  return parameters;
}

TEST(MLP, ShapesAndParameters) {
  MLP mlp(MLPOptions(50, 37).hidden(16).layers(2));
  const auto parameters = parameters_of(mlp);
  ASSERT_EQ(parameters.size(), 3u);  // no biases
  EXPECT_EQ(parameters.at("hidden0").sizes(), (std::vector<int64_t>{50, 16}));
  EXPECT_EQ(parameters.at("hidden1").sizes(), (std::vector<int64_t>{16, 16}));
  EXPECT_EQ(parameters.at("output").sizes(), (std::vector<int64_t>{16, 37}));
  EXPECT_EQ(mlp->hidden_features(), 16);
  const auto basis = torch::randn({4, 5, 50});
  EXPECT_EQ(mlp->hidden(basis).sizes(), (std::vector<int64_t>{4, 5, 16}));
  EXPECT_EQ(mlp->output_weight().sizes(), (std::vector<int64_t>{16, 37}));
  EXPECT_EQ(mlp->forward(basis).sizes(), (std::vector<int64_t>{4, 5, 37}));
}

// forward = act(act(x W0 / sqrt(50)) W1 / sqrt(16)) W / sqrt(16) with normalized activations,
// written out; hidden() leaves the last activation's normalization to output_weight().
TEST(MLP, ForwardDividesEveryLayerBySqrtFanIn) {
  MLP mlp(MLPOptions(50, 37).hidden(16).layers(2).activation(Activation::tanh));
  mlp->to(torch::kDouble);
  const auto p = parameters_of(mlp);
  const auto x = torch::randn({7, 50}, torch::kDouble);
  const auto h0 = apply_activation(Activation::tanh, torch::matmul(x, p.at("hidden0")) / std::sqrt(50.0));
  const auto h1 = apply_activation(Activation::tanh, torch::matmul(h0, p.at("hidden1")) / std::sqrt(16.0));
  const double c = activation_normalization(Activation::tanh);
  EXPECT_LT(max_abs(mlp->hidden(x) - h1 / c), 1e-12);
  EXPECT_LT(max_abs(mlp->output_weight() - p.at("output") * (c / std::sqrt(16.0))), 1e-15);
  EXPECT_LT(max_abs(mlp->forward(x) - torch::matmul(h1, p.at("output")) / std::sqrt(16.0)), 1e-12);
}

// The same MLP in float32 (whose GEMMs run on oneDNN, dense_matmul.h) against float64, forward
// and gradients, within what float32's rounding explains: relative 2^-24 per operation over
// three layers of at most 50 terms, with values and weights of order 1 (a bound of 1e-4 is
// about twenty times the largest deviation such a chain of roundings gives; an error in a
// GEMM or a missing scale is of order 1).
TEST(MLP, Float32MatchesFloat64WithGradients) {
  torch::manual_seed(7);
  MLP mlp(MLPOptions(50, 37).hidden(16).layers(2));
  MLP mlp64(MLPOptions(50, 37).hidden(16).layers(2));
  {
    torch::NoGradGuard no_grad;
    for (const auto& item : mlp->named_parameters()) mlp64->named_parameters()[item.key()].copy_(item.value());
  }
  mlp64->to(torch::kDouble);
  const auto x = torch::randn({33, 50});
  const auto y = mlp->forward(x);
  const auto y64 = mlp64->forward(x.to(torch::kDouble));
  EXPECT_LT(max_abs(y.to(torch::kDouble) - y64), 1e-4);
  const auto g = torch::randn({33, 37});
  (y * g).sum().backward();
  (y64 * g.to(torch::kDouble)).sum().backward();
  const auto p = parameters_of(mlp), p64 = parameters_of(mlp64);
  for (const auto& [name, weight] : p) {
    EXPECT_LT(max_abs(weight.grad().to(torch::kDouble) - p64.at(name).grad()), 1e-4 * std::max(1.0, max_abs(p64.at(name).grad())))
        << name;
  }
}

// precision bf16_mixed reaches every layer's GEMM (dense_matmul(), whose bfloat16 arithmetic
// dense_matmul_test checks): the output and the weights' gradients differ from the float32
// MLP's by more than float32 rounding, and by no more than bfloat16 rounding of the GEMMs'
// inputs explains (relative to each tensor's largest entry, as KernelConvFused's bf16-mixed test).
TEST(MLP, Bf16MixedPrecisionReachesEveryLayer) {
  if (!cpu_has_bf16_gemm()) GTEST_SKIP() << "this CPU has neither AVX512_BF16 nor AMX";
  torch::manual_seed(8);
  MLP exact(MLPOptions(50, 37).hidden(16).layers(2));
  MLP mixed(MLPOptions(50, 37).hidden(16).layers(2).precision(GemmPrecision::bf16_mixed));
  {
    torch::NoGradGuard no_grad;
    for (const auto& item : exact->named_parameters()) mixed->named_parameters()[item.key()].copy_(item.value());
  }
  const auto x = torch::randn({300, 50}), g = torch::randn({300, 37});
  const auto y = exact->forward(x), y_mixed = mixed->forward(x);
  (y * g).sum().backward();
  (y_mixed * g).sum().backward();
  std::vector<std::pair<std::string, std::pair<torch::Tensor, torch::Tensor>>> compared{{"output", {y, y_mixed}}};
  const auto p = parameters_of(exact), p_mixed = parameters_of(mixed);
  for (const auto& [name, weight] : p) compared.push_back({"d " + name, {weight.grad(), p_mixed.at(name).grad()}});
  for (const auto& [name, pair] : compared) {
    const double error = max_abs(pair.second - pair.first) / max_abs(pair.first);
    EXPECT_LT(error, 1e-2) << name;
    EXPECT_GT(error, 1e-5) << name;
  }
}

TEST(MLP, WeightsAreStandardNormal) {
  torch::manual_seed(3);
  MLP mlp(MLPOptions(50, 2000).hidden(128).layers(2));
  for (const auto& [name, weight] : parameters_of(mlp)) {
    EXPECT_NEAR(weight.mean().item<double>(), 0.0, 5.0 / std::sqrt(double(weight.numel()))) << name;
    EXPECT_NEAR(weight.var().item<double>(), 1.0, 0.05) << name;
  }
}

// Appendix B's assumption: with inputs of unit second moment (a normalized basis) and
// normalized activations, R has zero mean and unit variance at initialization. Averaged over
// many inputs, outputs and initializations; without the 1 / sqrt(fan_in) factors the second
// moment would be ~128, without the activation's normalization ~0.36.
TEST(MLP, UnitVarianceOutputAtInitialization) {
  torch::manual_seed(4);
  for (const int64_t layers : {0, 1, 2, 3}) {
    double sum = 0.0, squares = 0.0, count = 0.0;
    for (int init = 0; init < 20; ++init) {
      MLP mlp(MLPOptions(50, 256).hidden(128).layers(layers));
      torch::NoGradGuard no_grad;
      const auto r = mlp->forward(torch::randn({1000, 50})).to(torch::kDouble);
      sum += r.sum().item<double>();
      squares += r.square().sum().item<double>();
      count += double(r.numel());
    }
    const double mean = sum / count;
    EXPECT_NEAR(mean, 0.0, 0.03) << layers << " layers";
    EXPECT_NEAR(squares / count - mean * mean, 1.0, 0.08) << layers << " layers";
  }
}

TEST(MLP, ScaleOutputsScalesEachOutput) {
  MLP mlp(MLPOptions(8, 5).hidden(6).layers(1));
  mlp->to(torch::kDouble);
  const auto x = torch::randn({9, 8}, torch::kDouble);
  const auto before = mlp->forward(x).detach();
  const auto factors = torch::tensor({2.0, 0.5, -1.0, 0.0, 3.0}, torch::kDouble);
  mlp->scale_outputs(factors);
  EXPECT_LT(max_abs(mlp->forward(x) - before * factors), 1e-12);
  EXPECT_TRUE(parameters_of(mlp).at("output").requires_grad());  // still trainable
  EXPECT_THROW(mlp->scale_outputs(torch::ones({4}, torch::kDouble)), std::invalid_argument);
  EXPECT_THROW(mlp->scale_outputs(torch::ones({5, 1}, torch::kDouble)), std::invalid_argument);
}

TEST(MLP, ZeroLayersIsLinearInTheBasis) {
  MLP mlp(MLPOptions(10, 4).hidden(128).layers(0));
  const auto parameters = parameters_of(mlp);
  ASSERT_EQ(parameters.size(), 1u);
  EXPECT_EQ(parameters.at("output").sizes(), (std::vector<int64_t>{10, 4}));
  EXPECT_EQ(mlp->hidden_features(), 10);
  const auto x = torch::randn({6, 10});
  EXPECT_TRUE(torch::equal(mlp->hidden(x), x));
  EXPECT_LT(max_abs(mlp->forward(x) - torch::matmul(x, parameters.at("output")) / std::sqrt(10.0)), 1e-5);
}

TEST(MLP, OptionChecks) {
  EXPECT_THROW(MLP(MLPOptions(0, 4)), std::invalid_argument);
  EXPECT_THROW(MLP(MLPOptions(4, 0)), std::invalid_argument);
  EXPECT_THROW(MLP(MLPOptions(4, 4).hidden(0)), std::invalid_argument);
  EXPECT_THROW(MLP(MLPOptions(4, 4).layers(-1)), std::invalid_argument);
  const MLPOptions defaults(50, 10);
  EXPECT_EQ(defaults.hidden(), 128);  // Table 3.1: two hidden layers of 128 neurons
  EXPECT_EQ(defaults.layers(), 2);
  EXPECT_EQ(defaults.activation(), Activation::silu);
}

}  // namespace
}  // namespace e3::nn
