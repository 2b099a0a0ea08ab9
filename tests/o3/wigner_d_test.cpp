#include "e3/o3/wigner_d.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <vector>

#include "e3/o3/rotation.h"

namespace e3::o3 {
namespace {

double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

EulerAngles angles_for(const torch::Tensor& rotations) { return rotation_to_angles(rotations); }

// R_z(alpha) R_y(beta) R_z(gamma), counter-clockwise, written out from the angles: [3, 3]
// float64, independent of rotation.cpp and of the harmonics.
torch::Tensor rotation_by_hand(double alpha, double beta, double gamma) {
  auto about_z = [](double t) {
    return torch::tensor({std::cos(t), -std::sin(t), 0.0, std::sin(t), std::cos(t), 0.0, 0.0, 0.0, 1.0}, torch::kDouble)
        .reshape({3, 3});
  };
  const auto about_y =
      torch::tensor({std::cos(beta), 0.0, std::sin(beta), 0.0, 1.0, 0.0, -std::sin(beta), 0.0, std::cos(beta)},
                    torch::kDouble)
          .reshape({3, 3});
  return torch::matmul(torch::matmul(about_z(alpha), about_y), about_z(gamma));
}

// Compares wigner_d(l) with expected(R) for 20 random rotations, R by hand from the angles.
void expect_wigner_d_matches(int l, const std::function<torch::Tensor(const torch::Tensor&)>& expected,
                             uint64_t seed) {
  auto generator = at::detail::createCPUGenerator(seed);
  const auto angles = random_angles(20, torch::kDouble, generator);
  const auto d = wigner_d(l, angles);
  for (int64_t i = 0; i < 20; ++i) {
    const auto r = rotation_by_hand(angles.alpha[i].item<double>(), angles.beta[i].item<double>(),
                                    angles.gamma[i].item<double>());
    EXPECT_LT(max_abs(d[i] - expected(r)), 1e-12) << "l = " << l << ", rotation " << i;
  }
}

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

// D^1(R) = P R P^T, P: (x, y, z) -> (y, z, x) (the README's convention), with R written out
// from the Euler angles rather than taken from rotation_matrix().
TEST(WignerD, OrderOneAgainstRotationMatrixByHand) {
  const auto p = torch::tensor({0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0}, torch::kDouble).reshape({3, 3});
  expect_wigner_d_matches(1, [&](const torch::Tensor& r) { return torch::matmul(torch::matmul(p, r), p.t()); }, 21);
}

// D^2 from the rotation matrix alone. The real l = 2 harmonics (m = -2..2, z polar) are, up
// to one common factor, the quadratic forms x^T Q_m x of
//   sqrt(3) xy, sqrt(3) yz, (3z^2 - r^2) / 2, sqrt(3) xz, sqrt(3) / 2 (x^2 - y^2),
// five symmetric traceless matrices that are orthogonal with <Q_m, Q_n> = 3/2 delta_mn
// (Frobenius). Y_m(R x) = x^T R^T Q_m R x and R^T Q_m R is again symmetric traceless, so
// R^T Q_m R = sum_n D_mn Q_n with D_mn = <R^T Q_m R, Q_n> / (3/2).
TEST(WignerD, OrderTwoFromQuadraticForms) {
  const double s3 = std::sqrt(3.0);
  auto symmetric = [](std::initializer_list<double> upper) {  // xx, xy, xz, yy, yz, zz
    const std::vector<double> u(upper);
    return torch::tensor({u[0], u[1], u[2], u[1], u[3], u[4], u[2], u[4], u[5]}, torch::kDouble).reshape({3, 3});
  };
  const std::vector<torch::Tensor> q = {
      symmetric({0, s3 / 2, 0, 0, 0, 0}),        // sqrt(3) xy
      symmetric({0, 0, 0, 0, s3 / 2, 0}),        // sqrt(3) yz
      symmetric({-0.5, 0, 0, -0.5, 0, 1}),       // (3z^2 - r^2) / 2
      symmetric({0, 0, s3 / 2, 0, 0, 0}),        // sqrt(3) xz
      symmetric({s3 / 2, 0, 0, -s3 / 2, 0, 0}),  // sqrt(3) / 2 (x^2 - y^2)
  };
  for (int m = 0; m < 5; ++m) {
    for (int n = 0; n < 5; ++n) {
      EXPECT_NEAR((q[m] * q[n]).sum().item<double>(), m == n ? 1.5 : 0.0, 1e-15) << m << ", " << n;
    }
  }
  expect_wigner_d_matches(
      2,
      [&](const torch::Tensor& r) {
        auto d = torch::empty({5, 5}, torch::kDouble);
        for (int m = 0; m < 5; ++m) {
          const auto rotated = torch::matmul(torch::matmul(r.t(), q[m]), r);
          for (int n = 0; n < 5; ++n) d[m][n] = (rotated * q[n]).sum() / 1.5;
        }
        return d;
      },
      22);
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
