#include "e3/o3/rep.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "e3/o3/spherical_harmonics.h"
#include "e3/o3/wigner_d.h"

namespace e3::o3 {
namespace {

double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

TEST(Rep, BlockDiagonalInLayoutOrder) {
  auto generator = at::detail::createCPUGenerator(41);
  const auto angles = random_angles(2, torch::kDouble, generator);
  const Rs rs = Rs::parse("2x0+1x1+1x2+1x0");
  const auto d = rep(rs, angles);
  ASSERT_EQ(d.sizes(), (std::vector<int64_t>{2, rs.dim(), rs.dim()}));
  EXPECT_LT(max_abs(d.slice(1, 0, 2).slice(2, 0, 2) - torch::eye(2, torch::kDouble)), 1e-15);
  EXPECT_LT(max_abs(d.slice(1, 2, 5).slice(2, 2, 5) - wigner_d(1, angles)), 1e-15);
  EXPECT_LT(max_abs(d.slice(1, 5, 10).slice(2, 5, 10) - wigner_d(2, angles)), 1e-15);
  EXPECT_LT(max_abs(d.slice(1, 10, 11).slice(2, 10, 11) - 1.0), 1e-15);
  // Everything off the blocks is zero.
  EXPECT_EQ(max_abs(d.slice(1, 0, 2).slice(2, 2)), 0.0);
  EXPECT_EQ(max_abs(d.slice(1, 2, 5).slice(2, 5)), 0.0);
}

TEST(Rep, RotatesAFeatureOfHarmonics) {
  // A feature made of harmonics of one vector rotates with rep when the vector rotates (2.33).
  auto generator = at::detail::createCPUGenerator(42);
  const auto angles = random_angles(1, torch::kDouble, generator);
  const auto x = torch::randn({7, 3}, generator, torch::kDouble);
  const auto rotated = torch::matmul(x, rotation_matrix(angles)[0].t());
  const Rs rs{{1, 0}, {1, 1}, {1, 2}, {1, 3}};
  const std::vector<int> ls{0, 1, 2, 3};
  const auto expected = torch::matmul(spherical_harmonics(ls, x), rep(rs, angles)[0].t());
  EXPECT_LT(max_abs(spherical_harmonics(ls, rotated) - expected), 1e-12);
}

TEST(Rep, InversionUsesParity) {
  const auto zero = torch::zeros({1}, torch::kDouble);
  const auto d = rep(Rs::parse("1x0e+1x0o+1x1o"), {zero, zero, zero}, /*inversion=*/true)[0];
  EXPECT_LT(max_abs(d.diagonal() - torch::tensor({1.0, -1.0, -1.0, -1.0, -1.0}, torch::kDouble)), 1e-13);
  EXPECT_THROW(rep(Rs::parse("1x0"), {zero, zero, zero}, true), std::invalid_argument);
}

}  // namespace
}  // namespace e3::o3
