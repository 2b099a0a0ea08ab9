// The tetris experiment's result (thesis Section 2.4.2, Figure 2.12): scalar-only networks
// stay at 7/8, networks with order-one features reach 100% on rotated shapes.

#include "e3/train/tetris_experiment.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace e3::train {
namespace {

class TetrisExperimentTest : public ::testing::Test {
 protected:
  // Training is tiny (8 shapes of 4 points): one thread is fastest and leaves the other cores free.
  void SetUp() override { torch::set_num_threads(1); }
};

TEST_F(TetrisExperimentTest, ScalarOnlyNetworkNeverExceedsSevenEighths) {
  const auto options = TetrisExperimentOptions()
                           .model(models::TetrisClassifierOptions().lmax(0))
                           .epochs(300)
                           .test_rotations(25)
                           .dtype(torch::kDouble);
  auto experiment = run_tetris_experiment(options);
  // It learned what distances can tell: six shapes, and one of the chiral pair...
  EXPECT_LT(experiment.losses.back(), 0.5 * experiment.losses.front());
  EXPECT_EQ(experiment.train.total, 7.0 / 8.0);
  // ...but no more, on the training set or the rotated test set.
  EXPECT_LE(experiment.test.total, 7.0 / 8.0);
  EXPECT_LE(experiment.test.per_class[0] + experiment.test.per_class[1], 1.0);

  // Why: every rotated copy of either chiral piece gets the same scores, so the same prediction.
  const auto test = tetris_test_set(options.test_rotations(), 99, experiment.model->cutoff(), torch::kDouble);
  torch::NoGradGuard no_grad;
  const auto scores = experiment.model->forward(test.inputs);
  const auto chiral = scores.narrow(0, 0, 2 * options.test_rotations());
  EXPECT_LT((chiral - chiral[0]).abs().max().item<double>(), 1e-10 * scores.abs().max().item<double>());
}

TEST_F(TetrisExperimentTest, OrderOneFeaturesReachFullAccuracyOnRotatedShapes) {
  for (TetrisLoss loss : {TetrisLoss::mse, TetrisLoss::cross_entropy}) {
    const auto experiment = run_tetris_experiment(
        TetrisExperimentOptions().model(models::TetrisClassifierOptions().lmax(1)).loss(loss).test_rotations(50));
    EXPECT_EQ(experiment.model->parameters().front().scalar_type(), torch::kFloat);
    EXPECT_EQ(experiment.train.total, 1.0) << to_string(loss);
    EXPECT_EQ(experiment.test.total, 1.0) << to_string(loss);
    for (size_t c = 0; c < experiment.test.per_class.size(); ++c) {
      EXPECT_EQ(experiment.test.per_class[c], 1.0) << to_string(loss) << " " << tetris_shapes()[c].name;
    }
  }
}

TEST_F(TetrisExperimentTest, SameSeedSameRun) {
  const auto options =
      TetrisExperimentOptions().model(models::TetrisClassifierOptions().lmax(1)).epochs(5).test_rotations(3);
  const auto first = run_tetris_experiment(options);
  const auto second = run_tetris_experiment(options);
  ASSERT_EQ(first.losses.size(), 5u);
  EXPECT_EQ(first.losses, second.losses);
  EXPECT_EQ(first.test.per_class, second.test.per_class);
  EXPECT_NE(run_tetris_experiment(TetrisExperimentOptions(options).seed(1)).losses, first.losses);
}

TEST_F(TetrisExperimentTest, Losses) {
  const auto scores = torch::zeros({2, 8}, torch::kDouble);
  const auto labels = torch::tensor({3, 5}, torch::kLong);
  // Uniform probabilities 1/8: ||t^ - t||^2 = (7/8)^2 + 7 (1/8)^2 = 7/8; cross-entropy log 8.
  EXPECT_NEAR(tetris_loss(TetrisLoss::mse, scores, labels).item<double>(), 7.0 / 8.0, 1e-15);
  EXPECT_NEAR(tetris_loss(TetrisLoss::cross_entropy, scores, labels).item<double>(), std::log(8.0), 1e-15);
  // A confident right answer costs almost nothing; a confident wrong one costs 2 (MSE's maximum).
  auto confident = torch::zeros({1, 8}, torch::kDouble);
  confident[0][3] = 50.0;
  EXPECT_LT(tetris_loss(TetrisLoss::mse, confident, torch::tensor({3}, torch::kLong)).item<double>(), 1e-15);
  EXPECT_NEAR(tetris_loss(TetrisLoss::mse, confident, torch::tensor({4}, torch::kLong)).item<double>(), 2.0, 1e-15);

  EXPECT_EQ(tetris_loss_from_string("cross_entropy"), TetrisLoss::cross_entropy);
  EXPECT_EQ(to_string(tetris_loss_from_string("mse")), "mse");
  EXPECT_THROW(tetris_loss_from_string("hinge"), std::invalid_argument);
}

TEST_F(TetrisExperimentTest, RejectsBadOptions) {
  EXPECT_THROW(run_tetris_experiment(TetrisExperimentOptions().epochs(0)), std::invalid_argument);
  EXPECT_THROW(run_tetris_experiment(TetrisExperimentOptions().test_rotations(0)), std::invalid_argument);
  EXPECT_THROW(run_tetris_experiment(TetrisExperimentOptions().learning_rate(0.0)), std::invalid_argument);
  EXPECT_THROW(run_tetris_experiment(TetrisExperimentOptions().dtype(torch::kHalf)), std::invalid_argument);
  EXPECT_THROW(run_tetris_experiment(TetrisExperimentOptions().model(models::TetrisClassifierOptions().num_classes(5))),
               std::invalid_argument);
}

TEST_F(TetrisExperimentTest, DivergenceIsAnErrorNotANaNThatTrainsOn) {
  // A learning rate this large sends the weights to infinity within a few steps.
  EXPECT_THROW(run_tetris_experiment(TetrisExperimentOptions().learning_rate(1e30).epochs(20)), std::runtime_error);
}

}  // namespace
}  // namespace e3::train
