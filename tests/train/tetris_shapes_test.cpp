// The tetris data: eight distinct shapes of four unit cubes, one chiral pair that only a
// reflection relates, and a test set of proper rigid motions of them.

#include "e3/train/tetris_shapes.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <array>

namespace e3::train {
namespace {

constexpr int64_t kNumShapes = 8;

// The sorted pairwise distances of a [n, 3] cloud.
torch::Tensor sorted_distances(const torch::Tensor& points) {
  const auto distances = torch::cdist(points, points);
  const auto upper = torch::triu(torch::ones_like(distances, torch::kBool), 1);
  return std::get<0>(distances.masked_select(upper).sort());
}

// Whether some orthogonal map Q with det(Q) = `determinant` and a translation carry the points
// of `a` onto those of `b` (in some order). With both clouds centered, a candidate matching
// b_sigma = a Q is solved by least squares (a spans R^3 for the shapes it is used on) and kept
// when it is exact and orthogonal.
bool congruent(const torch::Tensor& a, const torch::Tensor& b, double determinant) {
  const auto a_centered = a - a.mean(0);
  std::array<int64_t, 4> order = {0, 1, 2, 3};
  do {
    const auto b_centered =
        b.index_select(0, torch::tensor(std::vector<int64_t>(order.begin(), order.end()))) - b.mean(0);
    const auto q =
        torch::linalg::solve(torch::matmul(a_centered.t(), a_centered), torch::matmul(a_centered.t(), b_centered),
                             /*left=*/true);
    const bool exact = torch::allclose(torch::matmul(a_centered, q), b_centered, 0.0, 1e-9);
    const bool orthogonal = torch::allclose(torch::matmul(q.t(), q), torch::eye(3, torch::kDouble), 0.0, 1e-9);
    if (exact && orthogonal && std::abs(torch::det(q).item<double>() - determinant) < 1e-9) return true;
  } while (std::next_permutation(order.begin(), order.end()));
  return false;
}

TEST(TetrisShapes, EightPolycubesOfFourUnitCubes) {
  const auto& shapes = tetris_shapes();
  ASSERT_EQ(static_cast<int64_t>(shapes.size()), kNumShapes);
  const std::vector<std::string> names = {"chiral_shape_1", "chiral_shape_2", "square", "line", "corner", "L", "T",
                                          "zigzag"};
  for (int64_t c = 0; c < kNumShapes; ++c) {
    EXPECT_EQ(shapes[c].name, names[c]);
    const auto points = tetris_points(c);
    ASSERT_EQ(points.sizes(), (std::vector<int64_t>{4, 3}));
    // Distinct cubes on the integer lattice, glued face to face into one piece: cubes that
    // share a face are 1 apart, and in a connected piece of four every cube reaches every
    // other in at most three such steps.
    const auto distances = torch::cdist(points, points);
    EXPECT_TRUE(torch::equal(points, points.round())) << names[c];
    EXPECT_GT((distances + torch::eye(4, torch::kDouble)).min().item<double>(), 0.99) << names[c];
    const auto steps = ((distances - 1.0).abs() < 1e-12).to(torch::kDouble) + torch::eye(4, torch::kDouble);
    EXPECT_TRUE((torch::matrix_power(steps, 3) > 0).all().item<bool>()) << names[c];
  }
  EXPECT_THROW(tetris_points(kNumShapes), std::invalid_argument);
  EXPECT_THROW(tetris_points(-1), std::invalid_argument);
}

TEST(TetrisShapes, OnlyTheChiralPairSharesItsDistances) {
  // Equal distances are all a scalar-only network can see: it must tell every other pair apart.
  for (int64_t a = 0; a < kNumShapes; ++a) {
    for (int64_t b = a + 1; b < kNumShapes; ++b) {
      const bool same =
          torch::allclose(sorted_distances(tetris_points(a)), sorted_distances(tetris_points(b)), 0.0, 1e-12);
      EXPECT_EQ(same, a == 0 && b == 1) << tetris_shapes()[a].name << " vs " << tetris_shapes()[b].name;
    }
  }
}

TEST(TetrisShapes, TheChiralPiecesAreMirrorImagesAndNotRotations) {
  const auto first = tetris_points(0), second = tetris_points(1);
  // chiral_shape_2 is chiral_shape_1 reflected in the x-z plane...
  const auto mirror = torch::diag(torch::tensor({1.0, -1.0, 1.0}, torch::kDouble));
  EXPECT_TRUE(torch::equal(torch::matmul(first, mirror), second));
  EXPECT_TRUE(congruent(first, second, -1.0));
  // ...and no rotation, translation and relabeling of the cubes turns one into the other.
  EXPECT_FALSE(congruent(first, second, 1.0));
  // The check itself finds rotations where they exist.
  const auto rotation = torch::tensor({0.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0}, torch::kDouble).view({3, 3});
  EXPECT_TRUE(congruent(first, torch::matmul(first, rotation.t()).flip(0) + 2.0, 1.0));
}

TEST(TetrisShapes, TrainingSetIsEachShapeOnceInTheFixedOrientation) {
  const auto set = tetris_training_set(3.5, torch::kDouble);
  ASSERT_EQ(set.size(), kNumShapes);
  EXPECT_TRUE(torch::equal(set.labels, torch::arange(kNumShapes, torch::kLong)));
  for (int64_t c = 0; c < kNumShapes; ++c) {
    EXPECT_TRUE(torch::equal(set.inputs.positions.narrow(0, 4 * c, 4), tetris_points(c)));
  }
  // Every ordered pair of distinct points of a shape (the largest distance, 3, is within 3.5).
  EXPECT_EQ(set.inputs.graph.num_edges(), kNumShapes * 12);
  set.inputs.graph.check();
  EXPECT_TRUE(torch::equal(set.inputs.cloud_index.index_select(0, set.inputs.graph.edge_src),
                           set.inputs.cloud_index.index_select(0, set.inputs.graph.edge_dst)));
  EXPECT_EQ(tetris_training_set(3.5).inputs.positions.scalar_type(), torch::kFloat);
}

TEST(TetrisShapes, TestSetIsSeededProperRigidMotions) {
  const int64_t copies = 5;
  const auto set = tetris_test_set(copies, 7, 3.5, torch::kDouble);
  ASSERT_EQ(set.size(), kNumShapes * copies);
  EXPECT_TRUE(torch::equal(set.labels, torch::arange(kNumShapes, torch::kLong).repeat_interleave(copies)));
  EXPECT_TRUE(torch::equal(set.inputs.positions, tetris_test_set(copies, 7, 3.5, torch::kDouble).inputs.positions));
  EXPECT_FALSE(torch::allclose(set.inputs.positions, tetris_test_set(copies, 8, 3.5, torch::kDouble).inputs.positions));
  EXPECT_EQ(set.inputs.graph.num_edges(), kNumShapes * copies * 12);

  const auto volume = [](const torch::Tensor& p) { return torch::det(p.narrow(0, 1, 3) - p[0]).item<double>(); };
  for (int64_t k = 0; k < set.size(); ++k) {
    const auto original = tetris_points(set.labels[k].item<int64_t>());
    const auto moved = set.inputs.positions.narrow(0, 4 * k, 4);
    EXPECT_FALSE(torch::allclose(moved, original)) << k;
    // Distances are kept and so is the handedness (the sign of the volume spanned by the
    // cubes in order): a rotation, never a reflection.
    EXPECT_TRUE(torch::allclose(torch::cdist(moved, moved), torch::cdist(original, original), 0.0, 1e-12)) << k;
    EXPECT_NEAR(volume(moved), volume(original), 1e-12) << k;
  }
  EXPECT_THROW(tetris_test_set(0, 7, 3.5), std::invalid_argument);
  EXPECT_THROW(tetris_test_set(1, 7, 3.5, torch::kFloat, -1.0), std::invalid_argument);
}

TEST(TetrisShapes, TestOrientationsAreUniform) {
  // The line's direction R e_z over many copies: uniform on the sphere, so its mean is 0 and
  // its second moment I/3 (a fixed or biased orientation would fail by far more than the
  // sampling error, about 0.01 for 2000 copies).
  const int64_t copies = 2000;
  const auto set = tetris_test_set(copies, 3, 3.5, torch::kDouble);
  const auto lines = set.inputs.positions.view({kNumShapes, copies, 4, 3})[3];
  const auto directions = (lines.select(1, 3) - lines.select(1, 0)) / 3.0;
  EXPECT_LT(directions.mean(0).abs().max().item<double>(), 0.05);
  const auto second_moment = torch::matmul(directions.t(), directions) / copies;
  EXPECT_LT((second_moment - torch::eye(3, torch::kDouble) / 3.0).abs().max().item<double>(), 0.05);
}

}  // namespace
}  // namespace e3::train
