#include "e3/nn/activation.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace e3::nn {
namespace {

TEST(Activation, NormalizedActivationsHaveUnitSecondMoment) {
  auto generator = at::detail::createCPUGenerator(3);
  const auto x = torch::randn({2000000}, generator, torch::kDouble);
  for (auto a : {Activation::relu, Activation::silu, Activation::shifted_softplus, Activation::sigmoid, Activation::tanh}) {
    // Monte Carlo with 2e6 samples: standard error of the second moment is below 2e-3.
    EXPECT_NEAR(apply_activation(a, x).pow(2).mean().item<double>(), 1.0, 1e-2) << to_string(a);
  }
  EXPECT_NEAR(activation_second_moment(Activation::relu), 0.5, 1e-10);
  EXPECT_NEAR(activation_second_moment(Activation::identity), 1.0, 1e-10);
}

TEST(Activation, Values) {
  const auto x = torch::tensor({-1.0, 0.0, 2.0}, torch::kDouble);
  EXPECT_TRUE(torch::allclose(apply_activation(Activation::shifted_softplus, x, false),
                              torch::log1p(torch::exp(x)) - std::log(2.0)));
  EXPECT_EQ(apply_activation(Activation::shifted_softplus, x, false)[1].item<double>(), 0.0);
  EXPECT_TRUE(torch::equal(apply_activation(Activation::relu, x, false), torch::tensor({0.0, 0.0, 2.0}, torch::kDouble)));
  EXPECT_TRUE(torch::allclose(apply_activation(Activation::silu, x, false), x * torch::sigmoid(x)));
  EXPECT_TRUE(torch::equal(apply_activation(Activation::identity, x), x));
}

TEST(Activation, Names) {
  for (auto a : {Activation::identity, Activation::relu, Activation::silu, Activation::shifted_softplus,
                 Activation::sigmoid, Activation::tanh}) {
    EXPECT_EQ(activation_from_string(to_string(a)), a);
  }
  EXPECT_THROW(activation_from_string("gelu"), std::invalid_argument);
}

}  // namespace
}  // namespace e3::nn
