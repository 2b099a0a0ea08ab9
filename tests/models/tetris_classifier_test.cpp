// The tetris classifier: its input batching, the invariance of its scores ((2.55)-(2.57)),
// and why a scalar-only network cannot solve the tetris task (Section 2.4.2).

#include "e3/models/tetris_classifier.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "e3/o3/rotation.h"
#include "e3/train/tetris_shapes.h"

namespace e3::models {
namespace {

constexpr int64_t kNumShapes = 8;

// A float64 classifier with weights from `seed`.
TetrisClassifier classifier(const TetrisClassifierOptions& options, uint64_t seed) {
  torch::manual_seed(seed);
  TetrisClassifier model(options);
  model->to(torch::kDouble);
  return model;
}

// The scores of the eight shapes in their fixed orientation: [8, 8].
torch::Tensor shape_scores(TetrisClassifier& model) {
  torch::NoGradGuard no_grad;
  return model->forward(train::tetris_training_set(model->cutoff(), torch::kDouble).inputs);
}

double max_abs(const torch::Tensor& x) { return x.abs().max().item<double>(); }

TEST(PointClouds, EveryPairOfACloudWithinTheCutoff) {
  const auto near = torch::tensor({0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 2.0, 0.0, 0.0}, torch::kDouble).view({3, 3});
  const auto single = torch::zeros({1, 3}, torch::kDouble);
  const auto clouds = batch_point_clouds({near, single, near + 10.0}, 1.5);
  EXPECT_EQ(clouds.num_clouds, 3);
  EXPECT_TRUE(torch::equal(clouds.cloud_index, torch::tensor({0, 0, 0, 1, 2, 2, 2}, torch::kLong)));
  clouds.graph.check();
  // Neighbours 1 apart are joined both ways; the ends, 2 apart, are not; clouds never are.
  EXPECT_TRUE(torch::equal(clouds.graph.edge_dst, torch::tensor({0, 1, 1, 2, 4, 5, 5, 6}, torch::kLong)));
  EXPECT_TRUE(torch::equal(clouds.graph.edge_src, torch::tensor({1, 0, 2, 1, 5, 4, 6, 5}, torch::kLong)));
  EXPECT_EQ(batch_point_clouds({near}, 2.5).graph.num_edges(), 6);

  EXPECT_THROW(batch_point_clouds({}, 1.0), std::invalid_argument);
  EXPECT_THROW(batch_point_clouds({near}, 0.0), std::invalid_argument);
  EXPECT_THROW(batch_point_clouds({torch::zeros({3, 2}, torch::kDouble)}, 1.0), std::invalid_argument);
  EXPECT_THROW(batch_point_clouds({torch::zeros({0, 3}, torch::kDouble)}, 1.0), std::invalid_argument);
  EXPECT_THROW(batch_point_clouds({near, near.to(torch::kFloat)}, 1.0), std::invalid_argument);
}

TEST(TetrisClassifier, Layout) {
  TetrisClassifier model(TetrisClassifierOptions().lmax(2).multiplicity(3).layers(2));
  EXPECT_EQ(model->hidden_rs(), o3::Rs::parse("3x0+3x1+3x2"));
  ASSERT_EQ(model->stack->layers.size(), 2u);  // two gated blocks, then the output layer
  EXPECT_TRUE(model->stack->layers[0]->gate);
  EXPECT_FALSE(model->stack->layers[0]->has_residual());  // 1x0 -> hidden
  EXPECT_TRUE(model->stack->layers[1]->has_residual());
  EXPECT_EQ(model->output->options.rs_in(), o3::Rs::parse("3x0+3x1+3x2"));
  EXPECT_EQ(model->output->options.rs_out(), o3::Rs::parse("8x0"));
  // The cutoff covers the largest distance within a shape (the line's, 3).
  EXPECT_GT(model->cutoff(), 3.0);

  EXPECT_THROW(TetrisClassifier(TetrisClassifierOptions().lmax(-1)), std::invalid_argument);
  EXPECT_THROW(TetrisClassifier(TetrisClassifierOptions().multiplicity(0)), std::invalid_argument);
  EXPECT_THROW(TetrisClassifier(TetrisClassifierOptions().layers(0)), std::invalid_argument);
}

TEST(TetrisClassifier, ScoresAreInvariantToRotationTranslationPermutation) {
  for (int lmax : {0, 1, 2}) {
    auto model = classifier(TetrisClassifierOptions().lmax(lmax), 5);
    const auto scores = shape_scores(model);
    // Different shapes get different scores: the comparison below is not between constants.
    EXPECT_GT(max_abs(scores.narrow(0, 2, 6) - scores[2]), 1e-3) << lmax;

    auto generator = at::detail::createCPUGenerator(11);
    std::vector<torch::Tensor> moved;
    for (int64_t c = 0; c < kNumShapes; ++c) {
      const auto rotation = o3::random_rotation(1, torch::kDouble, generator)[0];
      const auto translation = torch::randn({1, 3}, generator, torch::kDouble) * 4.0;
      const auto permutation = torch::randperm(4, generator, torch::TensorOptions().dtype(torch::kLong));
      moved.push_back(
          (torch::matmul(train::tetris_points(c), rotation.t()) + translation).index_select(0, permutation));
    }
    torch::NoGradGuard no_grad;
    const auto moved_scores = model->forward(batch_point_clouds(moved, model->cutoff()));
    EXPECT_LT(max_abs(moved_scores - scores), 1e-10 * max_abs(scores)) << lmax;
  }
}

TEST(TetrisClassifier, ScalarOnlyNetworkGivesTheMirrorPiecesEqualScores) {
  // With lmax = 0 the network is a function of the pairwise distances only, and the chiral
  // pieces have the same distances: for any weights, their scores are equal.
  for (uint64_t seed : {1, 2, 3}) {
    auto model = classifier(TetrisClassifierOptions().lmax(0), seed);
    const auto scores = shape_scores(model);
    EXPECT_LT(max_abs(scores[0] - scores[1]), 1e-12 * max_abs(scores)) << seed;
  }
  // Order-one features see the handedness: the same comparison tells the pieces apart.
  for (uint64_t seed : {1, 2, 3}) {
    auto model = classifier(TetrisClassifierOptions().lmax(1), seed);
    const auto scores = shape_scores(model);
    EXPECT_GT(max_abs(scores[0] - scores[1]), 1e-4 * max_abs(scores)) << seed;
  }
}

TEST(TetrisClassifier, HandednessNeedsThreeKernelConvs) {
  // One gated block and the output layer combine vectors only by dot products, which a
  // reflection keeps: even with orders up to 2 the mirror pieces get equal scores.
  for (int lmax : {1, 2}) {
    auto model = classifier(TetrisClassifierOptions().lmax(lmax).layers(1), 6);
    const auto scores = shape_scores(model);
    EXPECT_LT(max_abs(scores[0] - scores[1]), 1e-12 * max_abs(scores)) << lmax;
  }
}

TEST(TetrisClassifier, EveryWeightReceivesAGradient) {
  auto model = classifier(TetrisClassifierOptions().lmax(1), 4);
  const auto scores = model->forward(train::tetris_training_set(model->cutoff(), torch::kDouble).inputs);
  scores.pow(2).sum().backward();
  ASSERT_GT(model->parameters().size(), 0u);
  for (const auto& item : model->named_parameters()) {
    ASSERT_TRUE(item.value().grad().defined()) << item.key();
    EXPECT_TRUE(torch::isfinite(item.value().grad()).all().item<bool>()) << item.key();
    EXPECT_GT(max_abs(item.value().grad()), 0.0) << item.key();
  }
}

}  // namespace
}  // namespace e3::models
