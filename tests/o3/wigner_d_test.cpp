#include "e3/o3/wigner_d.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "e3/o3/rotation.h"

namespace e3::o3 {
namespace {

double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

EulerAngles angles_for(const torch::Tensor& rotations) { return rotation_to_angles(rotations); }

TEST(WignerD, IsARepresentation) {
  auto generator = at::detail::createCPUGenerator(11);
  const auto r1 = random_rotation(20, torch::kDouble, generator);
  const auto r2 = random_rotation(20, torch::kDouble, generator);
  for (int l = 0; l <= 11; ++l) {
    const auto d12 = wigner_d(l, angles_for(torch::matmul(r1, r2)));
    const auto d1d2 = torch::matmul(wigner_d(l, angles_for(r1)), wigner_d(l, angles_for(r2)));
    EXPECT_LT(max_abs(d12 - d1d2), 1e-10) << "l = " << l;
  }
}

TEST(WignerD, IsOrthogonal) {
  auto generator = at::detail::createCPUGenerator(12);
  const auto angles = random_angles(20, torch::kDouble, generator);
  for (int l = 0; l <= 11; ++l) {
    const auto d = wigner_d(l, angles);
    const auto identity = torch::eye(2 * l + 1, torch::kDouble).expand_as(d);
    EXPECT_LT(max_abs(torch::matmul(d, d.transpose(-1, -2)) - identity), 1e-11) << "l = " << l;
  }
}

TEST(WignerD, OrderOneIsTheRotationMatrixInTheHarmonicsBasis) {
  auto generator = at::detail::createCPUGenerator(13);
  const auto angles = random_angles(20, torch::kDouble, generator);
  // The l = 1 harmonics are proportional to (y, z, x).
  const auto p = torch::tensor({0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0}, torch::kDouble).reshape({3, 3});
  const auto expected = torch::matmul(torch::matmul(p, rotation_matrix(angles)), p.t());
  EXPECT_LT(max_abs(wigner_d(1, angles) - expected), 1e-12);
}

TEST(WignerD, IdentityAndInverse) {
  const auto zero = torch::zeros({1}, torch::kDouble);
  auto generator = at::detail::createCPUGenerator(14);
  const auto angles = random_angles(5, torch::kDouble, generator);
  const auto inverse = EulerAngles{-angles.gamma, -angles.beta, -angles.alpha};
  for (int l = 0; l <= 6; ++l) {
    EXPECT_LT(max_abs(wigner_d(l, {zero, zero, zero}) - torch::eye(2 * l + 1, torch::kDouble)), 1e-13);
    EXPECT_LT(max_abs(wigner_d(l, inverse) - wigner_d(l, angles).transpose(-1, -2)), 1e-11);
  }
}

TEST(WignerD, Float32) {
  auto generator = at::detail::createCPUGenerator(15);
  const auto angles = random_angles(4, torch::kDouble, generator);
  const auto angles32 = EulerAngles{angles.alpha.to(torch::kFloat), angles.beta.to(torch::kFloat), angles.gamma.to(torch::kFloat)};
  const auto d32 = wigner_d(3, angles32);
  EXPECT_EQ(d32.scalar_type(), torch::kFloat);
  EXPECT_LT(max_abs(d32.to(torch::kDouble) - wigner_d(3, angles)), 1e-5);
}

}  // namespace
}  // namespace e3::o3
