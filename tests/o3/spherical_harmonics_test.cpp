#include "e3/o3/spherical_harmonics.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "e3/o3/quadrature.h"
#include "e3/o3/rotation.h"
#include "e3/o3/wigner_d.h"

namespace e3::o3 {
namespace {

constexpr double kPi = 3.14159265358979323846;

double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

torch::Tensor random_vectors(int64_t n, uint64_t seed) {
  auto generator = at::detail::createCPUGenerator(seed);
  return torch::randn({n, 3}, generator, torch::kDouble);
}

TEST(SphericalHarmonics, OrthonormalOnTheSphere) {
  const int lmax = 11;
  std::vector<int> ls;
  for (int l = 0; l <= lmax; ++l) ls.push_back(l);
  // The products Y^l Y^l' have degree <= 2 lmax: the rule below integrates them exactly.
  const auto quadrature = sphere_quadrature(2 * lmax);
  const auto y = spherical_harmonics(ls, quadrature.points);
  const auto gram = torch::matmul(y.t() * quadrature.weights, y);
  const auto identity = torch::eye(gram.size(0), torch::kDouble);
  const int dim6 = 7 * 7;  // components with l <= 6
  EXPECT_LT(max_abs(gram.slice(0, 0, dim6).slice(1, 0, dim6) - identity.slice(0, 0, dim6).slice(1, 0, dim6)), 1e-10);
  EXPECT_LT(max_abs(gram - identity), 1e-10);
}

TEST(SphericalHarmonics, ClosedFormsUpToL2) {
  auto v = random_vectors(50, 1);
  auto u = v / v.norm(2, -1, true);
  auto x = u.select(1, 0), y = u.select(1, 1), z = u.select(1, 2);
  const double c0 = 0.5 / std::sqrt(kPi);
  const double c1 = std::sqrt(3.0 / (4.0 * kPi));
  const double c2 = 0.5 * std::sqrt(15.0 / kPi);
  const double c20 = 0.25 * std::sqrt(5.0 / kPi);
  EXPECT_LT(max_abs(spherical_harmonics(0, v).squeeze(-1) - c0), 1e-14);
  EXPECT_LT(max_abs(spherical_harmonics(1, v) - c1 * torch::stack({y, z, x}, -1)), 1e-14);
  const auto expected2 = torch::stack({c2 * x * y, c2 * y * z, c20 * (3 * z * z - 1), c2 * x * z, 0.5 * c2 * (x * x - y * y)}, -1);
  EXPECT_LT(max_abs(spherical_harmonics(2, v) - expected2), 1e-14);
}

TEST(SphericalHarmonics, RotateWithWignerD) {
  auto generator = at::detail::createCPUGenerator(7);
  const auto angles = random_angles(20, torch::kDouble, generator);
  const auto rotations = rotation_matrix(angles);  // [20, 3, 3]
  const auto x = random_vectors(30, 2);
  for (int l = 0; l <= 11; ++l) {
    const auto d = wigner_d(l, angles);                                  // [20, 2l+1, 2l+1]
    const auto rotated = torch::matmul(x.unsqueeze(0), rotations.transpose(1, 2));  // [20, 30, 3]
    const auto lhs = spherical_harmonics(l, rotated);                     // Y(R x): [20, 30, 2l+1]
    const auto rhs = torch::matmul(spherical_harmonics(l, x).unsqueeze(0), d.transpose(1, 2));  // D Y(x)
    EXPECT_LT(max_abs(lhs - rhs), 1e-9) << "l = " << l;
  }
}

TEST(SphericalHarmonics, Float32AgreesWithFloat64) {
  const auto x = random_vectors(200, 3);
  for (int l = 0; l <= 11; ++l) {
    const auto y64 = spherical_harmonics(l, x);
    const auto y32 = spherical_harmonics(l, x.to(torch::kFloat));
    EXPECT_EQ(y32.scalar_type(), torch::kFloat);
    EXPECT_LT(max_abs(y32.to(torch::kDouble) - y64), 1e-5) << "l = " << l;
  }
}

TEST(SphericalHarmonics, ComponentNormalization) {
  const auto x = random_vectors(40, 4);
  for (int l = 0; l <= 6; ++l) {
    const auto y = spherical_harmonics(l, x, SphericalHarmonicsOptions().normalization(ShNormalization::component));
    EXPECT_LT(max_abs(y.pow(2).sum(-1) - (2 * l + 1)), 1e-11) << "l = " << l;
  }
}

TEST(SphericalHarmonics, UnnormalizedAreSolidHarmonics) {
  const auto x = random_vectors(40, 5);
  const auto r = x.norm(2, -1, true);
  const auto raw = SphericalHarmonicsOptions().normalize(false);
  for (int l = 0; l <= 8; ++l) {
    EXPECT_LT(max_abs(spherical_harmonics(l, x, raw) - r.pow(l) * spherical_harmonics(l, x)), 1e-9) << "l = " << l;
    EXPECT_LT(max_abs(spherical_harmonics(l, 2.5 * x, raw) - std::pow(2.5, l) * spherical_harmonics(l, x, raw)),
              1e-8 * std::pow(2.5, l));
  }
}

TEST(SphericalHarmonics, ConcatenatesOrdersAndKeepsShape) {
  const auto x = random_vectors(12, 6).reshape({3, 4, 3});
  const auto y = spherical_harmonics(std::vector<int>{0, 2, 1}, x);
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{3, 4, 1 + 5 + 3}));
  EXPECT_TRUE(torch::equal(y.slice(-1, 1, 6), spherical_harmonics(2, x)));
  EXPECT_TRUE(torch::equal(y.slice(-1, 6, 9), spherical_harmonics(1, x)));
}

TEST(SphericalHarmonics, ZeroVectorIsFinite) {
  const auto y = spherical_harmonics(std::vector<int>{0, 1, 2}, torch::zeros({1, 3}, torch::kDouble));
  EXPECT_TRUE(torch::isfinite(y).all().item<bool>());
  EXPECT_NEAR(y[0][0].item<double>(), 0.5 / std::sqrt(kPi), 1e-15);
  EXPECT_EQ(max_abs(y.slice(-1, 1)), 0.0);
}

TEST(SphericalHarmonics, DifferentiableWithRespectToVectors) {
  // d/dx of sum Y^1 = sqrt(3/4pi) (y+z+x)/|x| compared with its closed form.
  auto x = random_vectors(5, 8).requires_grad_(true);
  spherical_harmonics(1, x).sum().backward();
  const auto v = x.detach();
  const auto r = v.norm(2, -1, true);
  const auto s = v.sum(-1, true);
  const auto expected = std::sqrt(3.0 / (4.0 * kPi)) * (1.0 / r - s * v / r.pow(3));
  EXPECT_LT(max_abs(x.grad() - expected), 1e-13);
}

TEST(SphericalHarmonics, RejectsBadShapes) {
  EXPECT_THROW(spherical_harmonics(1, torch::zeros({4, 2}, torch::kDouble)), std::invalid_argument);
  EXPECT_THROW(spherical_harmonics(1, torch::zeros({4, 3}, torch::kLong)), std::invalid_argument);
  EXPECT_THROW(spherical_harmonics(-1, torch::zeros({4, 3}, torch::kDouble)), std::invalid_argument);
}

}  // namespace
}  // namespace e3::o3
