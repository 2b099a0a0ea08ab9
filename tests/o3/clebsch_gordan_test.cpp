#include "e3/o3/clebsch_gordan.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>

#include "e3/o3/rotation.h"
#include "e3/o3/spherical_harmonics.h"
#include "e3/o3/wigner_d.h"

namespace e3::o3 {
namespace {

double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

constexpr int kLmax = 6;

TEST(ClebschGordan, IntertwinesTheRepresentations) {
  auto generator = at::detail::createCPUGenerator(31);
  const auto angles = random_angles(3, torch::kDouble, generator);
  std::vector<torch::Tensor> d;
  for (int l = 0; l <= 2 * kLmax; ++l) d.push_back(wigner_d(l, angles));
  for (int l1 = 0; l1 <= kLmax; ++l1) {
    for (int l2 = 0; l2 <= kLmax; ++l2) {
      for (int l = std::abs(l1 - l2); l <= std::min(l1 + l2, kLmax); ++l) {
        const auto c = clebsch_gordan(l1, l2, l);
        // (D1 (x) D2) C = C D, written as einsum over the two input indices.
        const auto lhs = torch::einsum("rai,rbj,ijk->rabk", {d[l1], d[l2], c});
        const auto rhs = torch::einsum("abm,rmk->rabk", {c, d[l]});
        EXPECT_LT(max_abs(lhs - rhs), 1e-11) << l1 << " " << l2 << " " << l;
      }
    }
  }
}

TEST(ClebschGordan, ColumnsAreOrthonormal) {
  for (int l1 = 0; l1 <= kLmax; ++l1) {
    for (int l2 = 0; l2 <= kLmax; ++l2) {
      for (int l = std::abs(l1 - l2); l <= std::min(l1 + l2, kLmax); ++l) {
        const auto c = clebsch_gordan(l1, l2, l).reshape({-1, 2 * l + 1});
        EXPECT_LT(max_abs(torch::matmul(c.t(), c) - torch::eye(2 * l + 1, torch::kDouble)), 1e-12)
            << l1 << " " << l2 << " " << l;
      }
    }
  }
}

TEST(ClebschGordan, BlocksTogetherFormAnOrthogonalChangeOfBasis) {
  // (2.30): stacking the blocks l = |l1-l2|..l1+l2 gives a square orthogonal matrix.
  for (int l1 = 0; l1 <= 4; ++l1) {
    for (int l2 = 0; l2 <= 4; ++l2) {
      std::vector<torch::Tensor> blocks;
      for (int l = std::abs(l1 - l2); l <= l1 + l2; ++l) blocks.push_back(clebsch_gordan(l1, l2, l).reshape({-1, 2 * l + 1}));
      const auto q = torch::cat(blocks, 1);
      ASSERT_EQ(q.size(0), q.size(1));
      EXPECT_LT(max_abs(torch::matmul(q, q.t()) - torch::eye(q.size(0), torch::kDouble)), 1e-12) << l1 << " " << l2;
    }
  }
}

TEST(ClebschGordan, ZeroOutsideTheSelectionRule) {
  for (int l1 = 0; l1 <= kLmax; ++l1) {
    for (int l2 = 0; l2 <= kLmax; ++l2) {
      for (int l = 0; l <= kLmax; ++l) {
        const auto c = clebsch_gordan(l1, l2, l);
        ASSERT_EQ(c.sizes(), (std::vector<int64_t>{2 * l1 + 1, 2 * l2 + 1, 2 * l + 1}));
        const bool admissible = std::abs(l1 - l2) <= l && l <= l1 + l2;
        if (admissible) {
          EXPECT_GT(max_abs(c), 0.1) << l1 << " " << l2 << " " << l;
        } else {
          EXPECT_EQ(max_abs(c), 0.0) << l1 << " " << l2 << " " << l;
        }
      }
    }
  }
}

TEST(ClebschGordan, CouplesHarmonicsOfOneVectorIntoAHarmonic) {
  // sum C[a,b,c] Y^l1_a(x) Y^l2_b(x) is proportional to Y^l_c(x) (the product of two
  // harmonics of the same point has no other component of order l).
  auto generator = at::detail::createCPUGenerator(32);
  const auto x = torch::randn({20, 3}, generator, torch::kDouble);
  const auto coupled = torch::einsum("na,nb,abc->nc", {spherical_harmonics(1, x), spherical_harmonics(1, x), clebsch_gordan(1, 1, 2)});
  const auto y2 = spherical_harmonics(2, x);
  const double ratio = (coupled[0][0] / y2[0][0]).item<double>();
  EXPECT_LT(max_abs(coupled - ratio * y2), 1e-12);
  // And the antisymmetric l = 1 part of a vector with itself vanishes.
  EXPECT_LT(max_abs(torch::einsum("na,nb,abc->nc", {spherical_harmonics(1, x), spherical_harmonics(1, x), clebsch_gordan(1, 1, 1)})), 1e-14);
}

TEST(ClebschGordan, TrivialCouplingsAreIdentities) {
  for (int l = 0; l <= kLmax; ++l) {
    const auto identity = torch::eye(2 * l + 1, torch::kDouble);
    EXPECT_LT(max_abs(clebsch_gordan(l, 0, l).squeeze(1) - identity), 1e-14);
    EXPECT_LT(max_abs(clebsch_gordan(0, l, l).squeeze(0) - identity), 1e-14);
  }
}

TEST(ClebschGordan, CachedAndConverted) {
  auto a = clebsch_gordan(2, 3, 4);
  a.zero_();  // a copy: the cache must not change
  EXPECT_GT(max_abs(clebsch_gordan(2, 3, 4)), 0.1);
  EXPECT_EQ(clebsch_gordan(2, 3, 4, torch::kFloat).scalar_type(), torch::kFloat);
  EXPECT_THROW(clebsch_gordan(-1, 0, 1), std::invalid_argument);
}

}  // namespace
}  // namespace e3::o3
