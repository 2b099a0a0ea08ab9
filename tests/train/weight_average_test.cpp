// The exponential moving average of the weights equals its closed form.

#include "e3/train/weight_average.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>

namespace e3::train {
namespace {

TEST(WeightAverage, EqualsTheClosedFormAverage) {
  // A toy "model" of two parameters whose values after step k are w_k; the average after n
  // updates is a_n = prod_k d_k a_0 + sum_k (1 - d_k) prod_{j > k} d_j w_k, with
  // d_k = min(decay, (1 + k) / (10 + k)).
  const double decay = 0.9;
  auto w = torch::tensor({1.0, -2.0}, torch::kDouble);
  auto b = torch::tensor({{0.5}}, torch::kDouble);
  WeightAverage average({w, b}, decay);
  std::vector<torch::Tensor> history_w, history_b;
  const int n = 40;
  for (int k = 0; k < n; ++k) {
    w.copy_(torch::tensor({std::sin(0.3 * k), 0.1 * k}, torch::kDouble));
    b.fill_(std::cos(0.2 * k));
    history_w.push_back(w.clone());
    history_b.push_back(b.clone());
    average.update({w, b});
  }
  auto d = [&](int k) { return std::min(decay, (1.0 + k) / (10.0 + k)); };
  auto closed_form = [&](const torch::Tensor& initial, const std::vector<torch::Tensor>& values) {
    double product = 1.0;
    for (int k = 0; k < n; ++k) product *= d(k);
    auto result = initial * product;
    for (int k = 0; k < n; ++k) {
      double later = 1.0;
      for (int j = k + 1; j < n; ++j) later *= d(j);
      result = result + values[k] * (1.0 - d(k)) * later;
    }
    return result;
  };
  EXPECT_TRUE(torch::allclose(average.values()[0], closed_form(torch::tensor({1.0, -2.0}, torch::kDouble), history_w),
                              0, 1e-14));
  EXPECT_TRUE(torch::allclose(average.values()[1], closed_form(torch::tensor({{0.5}}, torch::kDouble), history_b), 0,
                              1e-14));
  EXPECT_EQ(average.updates(), n);
  EXPECT_DOUBLE_EQ(average.next_decay(), 41.0 / 50.0);  // still warming up: (1 + 40) / (10 + 40) < 0.9
  for (int k = n; k < 90; ++k) average.update({w, b});
  EXPECT_DOUBLE_EQ(average.next_decay(), decay);  // (1 + 90) / 100 > 0.9
}

TEST(WeightAverage, SwapExchangesAndTwiceRestores) {
  auto w = torch::tensor({1.0, 2.0}, torch::kDouble);
  WeightAverage average({w}, 0.5);
  w.fill_(3.0);
  average.update({w});  // d_0 = min(0.5, 0.1): a = 0.1 * [1, 2] + 0.9 * 3
  const auto averaged = average.values()[0].clone();
  average.swap({w});
  EXPECT_TRUE(torch::equal(w, averaged));
  EXPECT_TRUE(torch::equal(average.values()[0], torch::full({2}, 3.0, torch::kDouble)));
  average.swap({w});
  EXPECT_TRUE(torch::equal(w, torch::full({2}, 3.0, torch::kDouble)));
  EXPECT_TRUE(torch::equal(average.values()[0], averaged));
}

TEST(WeightAverage, DecayMustBeBelowOne) {
  const auto w = torch::zeros({1});
  EXPECT_THROW(WeightAverage({w}, 1.0), std::invalid_argument);
  EXPECT_THROW(WeightAverage({w}, 0.0), std::invalid_argument);
}

}  // namespace
}  // namespace e3::train
