// The normalized loss of Section 3.2 ((3.2)-(3.3), with the offsets cancelling), its masks and
// its variants.

#include "e3/train/loss.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace e3::train {
namespace {

torch::Tensor column(std::vector<double> values) { return torch::tensor(values, torch::kDouble).view({-1, 1}); }

TEST(NormalizedLoss, IsTheSquaredErrorInUnitsOfSigma) {
  // (3.2) without the slip: ((t - s)/sigma - (t^ - s)/sigma)^2 = (t - t^)^2 / sigma^2, for any
  // offset s; (3.3) averages over the molecules.
  const auto predictions = column({1.0, 4.0, -2.0});
  const auto targets = column({2.0, 1.0, -2.5});
  const auto mask = torch::ones({3, 1}, torch::kBool);
  const auto loss = normalized_loss(predictions, targets, mask, torch::tensor({2.0}, torch::kDouble), LossOptions());
  EXPECT_DOUBLE_EQ(loss.item<double>(), (1.0 + 9.0 + 0.25) / 4.0 / 3.0);
}

TEST(NormalizedLoss, WeighsTargetsOfVeryDifferentScalesEqually) {
  // Two targets whose values, errors and spreads differ by 1e4: both terms are the same.
  const auto small = column({0.1, -0.3, 0.2, 0.05});
  const auto small_truth = column({0.0, 0.1, 0.25, -0.05});
  const auto predictions = torch::cat({small, small * 1e4}, 1);
  const auto targets = torch::cat({small_truth, small_truth * 1e4}, 1);
  const auto mask = torch::ones({4, 2}, torch::kBool);
  const auto sigma = torch::tensor({0.2, 0.2 * 1e4}, torch::kDouble);
  const auto both = normalized_loss(predictions, targets, mask, sigma, LossOptions()).item<double>();
  const auto first = normalized_loss(small, small_truth, torch::ones({4, 1}, torch::kBool), sigma.narrow(0, 0, 1),
                                     LossOptions())
                         .item<double>();
  EXPECT_NEAR(both, 2.0 * first, 1e-12 * both);
  // Without the normalization the second target would outweigh the first by 1e8.
  EXPECT_GT(first, 0.1);
}

TEST(NormalizedLoss, MaskedTargetsDoNotContribute) {
  // Molecule 1 lacks target 0 and molecule 2 target 1; what those entries hold (here NaN and a
  // huge value) changes neither the loss nor the gradients.
  const auto predictions = torch::tensor({{1.0, 2.0}, {5.0, 1.0}, {2.0, 7.0}}, torch::kDouble).requires_grad_();
  const double nan = std::nan("");
  const auto targets = torch::tensor({{0.0, 2.5}, {nan, 1.5}, {2.5, 1e30}}, torch::kDouble);
  const auto mask = torch::tensor({{true, true}, {false, true}, {true, false}});
  const auto loss = normalized_loss(predictions, targets, mask, torch::ones({2}, torch::kDouble), LossOptions());
  // Target 0: errors 1 and -0.5 over its 2 molecules; target 1: -0.5 and -0.5 over its 2.
  EXPECT_DOUBLE_EQ(loss.item<double>(), (1.0 + 0.25) / 2.0 + (0.25 + 0.25) / 2.0);
  loss.backward();
  EXPECT_EQ(predictions.grad()[1][0].item<double>(), 0.0);
  EXPECT_EQ(predictions.grad()[2][1].item<double>(), 0.0);
  EXPECT_TRUE(torch::isfinite(predictions.grad()).all().item<bool>());
  // A target no molecule of the batch has adds nothing.
  const auto none = normalized_loss(predictions.detach(), targets, torch::zeros({3, 2}, torch::kBool),
                                    torch::ones({2}, torch::kDouble), LossOptions());
  EXPECT_EQ(none.item<double>(), 0.0);
}

TEST(NormalizedLoss, L1AndHuber) {
  const auto predictions = column({3.0, -0.5});
  const auto targets = column({0.0, 0.0});
  const auto mask = torch::ones({2, 1}, torch::kBool);
  const auto sigma = torch::tensor({1.0}, torch::kDouble);
  EXPECT_DOUBLE_EQ(normalized_loss(predictions, targets, mask, sigma, LossOptions().kind(LossKind::l1)).item<double>(),
                   (3.0 + 0.5) / 2.0);
  // Huber with delta 1: 0.5 r^2 within, |r| - 0.5 beyond.
  EXPECT_DOUBLE_EQ(
      normalized_loss(predictions, targets, mask, sigma, LossOptions().kind(LossKind::huber)).item<double>(),
      ((3.0 - 0.5) + 0.5 * 0.25) / 2.0);
  EXPECT_EQ(loss_kind_from_string("huber"), LossKind::huber);
  EXPECT_THROW(loss_kind_from_string("mae"), std::invalid_argument);
}

TEST(NormalizedLoss, ShapesAreChecked) {
  EXPECT_THROW(normalized_loss(torch::zeros({3, 2}, torch::kDouble), torch::zeros({3, 1}, torch::kDouble),
                               torch::ones({3, 2}, torch::kBool), torch::ones({2}, torch::kDouble), LossOptions()),
               std::invalid_argument);
}

}  // namespace
}  // namespace e3::train
