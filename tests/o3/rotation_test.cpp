#include "e3/o3/rotation.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace e3::o3 {
namespace {

constexpr double kPi = 3.14159265358979323846;

double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

TEST(Rotation, MatricesAreProperRotations) {
  auto generator = at::detail::createCPUGenerator(21);
  const auto r = random_rotation(100, torch::kDouble, generator);
  const auto identity = torch::eye(3, torch::kDouble).expand({100, 3, 3});
  EXPECT_LT(max_abs(torch::matmul(r, r.transpose(1, 2)) - identity), 1e-14);
  EXPECT_LT(max_abs(torch::det(r) - 1.0), 1e-14);
}

TEST(Rotation, ElementaryRotationsAreCounterClockwise) {
  const auto quarter = torch::full({1}, kPi / 2, torch::kDouble);
  const auto zero = torch::zeros({1}, torch::kDouble);
  const auto ex = torch::tensor({1.0, 0.0, 0.0}, torch::kDouble);
  // R_z(pi/2) e_x = e_y; R_y(pi/2) e_z = e_x.
  EXPECT_LT(max_abs(torch::matmul(rotation_matrix({quarter, zero, zero})[0], ex) - torch::tensor({0.0, 1.0, 0.0}, torch::kDouble)), 1e-15);
  EXPECT_LT(max_abs(torch::matmul(rotation_matrix({zero, quarter, zero})[0], torch::tensor({0.0, 0.0, 1.0}, torch::kDouble)) - ex), 1e-15);
}

TEST(Rotation, AnglesRoundTrip) {
  auto generator = at::detail::createCPUGenerator(22);
  const auto r = random_rotation(200, torch::kDouble, generator);
  EXPECT_LT(max_abs(rotation_matrix(rotation_to_angles(r)) - r), 1e-12);
  // At the poles only alpha +- gamma is defined, and the matrix is still recovered.
  const auto a = torch::tensor({0.3, 1.1}, torch::kDouble), g = torch::tensor({0.7, -0.4}, torch::kDouble);
  for (double beta : {0.0, kPi}) {
    const auto poles = rotation_matrix({a, torch::full({2}, beta, torch::kDouble), g});
    const auto angles = rotation_to_angles(poles);
    EXPECT_LT(max_abs(rotation_matrix(angles) - poles), 1e-12) << "beta = " << beta;
    EXPECT_EQ(max_abs(angles.gamma), 0.0);
  }
}

TEST(Rotation, RandomRotationsAreUniform) {
  // Under the Haar measure, R e_z is uniform on the sphere: its mean vanishes and each
  // coordinate has mean square 1/3. 20000 samples: standard errors ~ 0.004.
  auto generator = at::detail::createCPUGenerator(23);
  const auto r = random_rotation(20000, torch::kDouble, generator);
  const auto column = r.select(2, 2);
  EXPECT_LT(max_abs(column.mean(0)), 0.02);
  EXPECT_LT(max_abs(column.pow(2).mean(0) - 1.0 / 3.0), 0.02);
  // The trace is the character of the irreducible l = 1 representation: Haar mean 0, variance 1.
  EXPECT_LT(std::abs(r.diagonal(0, 1, 2).sum(-1).mean().item<double>()), 0.03);
}

TEST(Rotation, SeededGeneratorIsReproducible) {
  auto g1 = at::detail::createCPUGenerator(5);
  auto g2 = at::detail::createCPUGenerator(5);
  EXPECT_TRUE(torch::equal(random_rotation(3, torch::kDouble, g1), random_rotation(3, torch::kDouble, g2)));
}

}  // namespace
}  // namespace e3::o3
