#include "e3/nn/radial_basis.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace e3::nn {
namespace {

torch::Tensor raw(RadialBasisType type, int64_t n, double max_radius, const torch::Tensor& d) {
  RadialBasis basis(RadialBasisOptions(type, n, max_radius).normalize(false));
  return basis->forward(d);
}

TEST(RadialBasis, ShapeAndDtype) {
  for (auto type : {RadialBasisType::gaussian, RadialBasisType::cosine, RadialBasisType::bessel}) {
    RadialBasis basis(RadialBasisOptions(type, 7, 4.0));
    const auto out = basis->forward(torch::rand({3, 5}, torch::kDouble) * 5);
    EXPECT_EQ(out.sizes(), (std::vector<int64_t>{3, 5, 7}));
    EXPECT_EQ(out.scalar_type(), torch::kDouble);
    EXPECT_EQ(basis->forward(torch::rand({4})).scalar_type(), torch::kFloat);
  }
}

TEST(RadialBasis, CosineValuesAtKnownPoints) {
  // 5 centers on [0, 4]: spacing 1, gamma 1. (2.37): 1 at its center, 1/2 half a spacing away, 0 a spacing away.
  const auto d = torch::tensor({2.0, 2.5, 3.0}, torch::kDouble);
  const auto phi = raw(RadialBasisType::cosine, 5, 4.0, d);
  EXPECT_NEAR(phi[0][2].item<double>(), 1.0, 1e-15);
  EXPECT_NEAR(phi[0][1].item<double>(), 0.0, 1e-15);
  EXPECT_NEAR(phi[1][2].item<double>(), 0.5, 1e-15);
  EXPECT_NEAR(phi[1][3].item<double>(), 0.5, 1e-15);
  EXPECT_NEAR(phi[2][2].item<double>(), 0.0, 1e-15);
  // Neighbouring cosines sum to one between centers.
  EXPECT_NEAR(phi.sum(-1)[1].item<double>(), 1.0, 1e-15);
}

TEST(RadialBasis, GaussianValuesAtKnownPoints) {
  // 5 centers on [0, 2]: spacing 0.5, gamma 2. (2.36): exp(-gamma (d - mu)^2).
  const auto phi = raw(RadialBasisType::gaussian, 5, 2.0, torch::tensor({1.0, 1.3}, torch::kDouble));
  EXPECT_NEAR(phi[0][2].item<double>(), 1.0, 1e-15);
  EXPECT_NEAR(phi[1][2].item<double>(), std::exp(-2.0 * 0.09), 1e-15);
  EXPECT_NEAR(phi[1][4].item<double>(), std::exp(-2.0 * 0.49), 1e-15);
}

TEST(RadialBasis, BesselValuesAtKnownPoints) {
  // (2.38) with c = 5: sqrt(2/c) sin(B pi d / c) / d, and its limit B pi / c sqrt(2/c) at 0.
  const double c = 5.0;
  const auto phi = raw(RadialBasisType::bessel, 3, c, torch::tensor({1.7, 0.0}, torch::kDouble));
  for (int b = 1; b <= 3; ++b) {
    EXPECT_NEAR(phi[0][b - 1].item<double>(), std::sqrt(2 / c) * std::sin(b * M_PI * 1.7 / c) / 1.7, 1e-14);
    EXPECT_NEAR(phi[1][b - 1].item<double>(), std::sqrt(2 / c) * b * M_PI / c, 1e-8);
  }
}

TEST(RadialBasis, ZeroBeyondItsCutoff) {
  for (auto type : {RadialBasisType::gaussian, RadialBasisType::cosine, RadialBasisType::bessel}) {
    RadialBasis basis(RadialBasisOptions(type, 10, 3.0));
    const double cutoff = basis->cutoff();
    EXPECT_GE(cutoff, 3.0);
    const auto beyond = basis->forward(torch::linspace(cutoff, cutoff + 5, 50, torch::kDouble));
    EXPECT_EQ(beyond.abs().max().item<double>(), 0.0) << to_string(type);
    const auto inside = basis->forward(torch::linspace(0.1, cutoff * 0.99, 50, torch::kDouble));
    EXPECT_GT(inside.abs().sum(-1).min().item<double>(), 0.0) << to_string(type);
  }
  // The cutoffs: cosine reaches one spacing past the last center, Bessel stops at c, and
  // the Gaussian one is configurable.
  EXPECT_NEAR(RadialBasis(RadialBasisOptions(RadialBasisType::cosine, 11, 10.0))->cutoff(), 11.0, 1e-12);
  EXPECT_EQ(RadialBasis(RadialBasisOptions(RadialBasisType::bessel, 8, 10.0))->cutoff(), 10.0);
  EXPECT_EQ(RadialBasis(RadialBasisOptions(RadialBasisType::gaussian, 8, 10.0).gaussian_cutoff(12.5))->cutoff(), 12.5);
  RadialBasis gaussian(RadialBasisOptions(RadialBasisType::gaussian, 11, 10.0));
  const auto at_cutoff = raw(RadialBasisType::gaussian, 11, 10.0,
                             torch::full({1}, gaussian->cutoff() - 1e-9, torch::kDouble));
  EXPECT_NEAR(at_cutoff[0][10].item<double>(), 1e-4, 1e-9);
}

TEST(RadialBasis, NormalizedToUnitMeanSquare) {
  for (auto type : {RadialBasisType::gaussian, RadialBasisType::cosine, RadialBasisType::bessel}) {
    RadialBasis basis(RadialBasisOptions(type, 20, 5.0));
    const auto d = torch::linspace(0, basis->cutoff(), 100001, torch::kDouble);
    EXPECT_NEAR(basis->forward(d).pow(2).mean().item<double>(), 1.0, 1e-3) << to_string(type);
  }
}

TEST(RadialBasis, ParsesNamesAndRejectsBadOptions) {
  EXPECT_EQ(radial_basis_type_from_string("bessel"), RadialBasisType::bessel);
  EXPECT_THROW(radial_basis_type_from_string("fourier"), std::invalid_argument);
  EXPECT_THROW(RadialBasis(RadialBasisOptions(RadialBasisType::cosine, 1, 3.0)), std::invalid_argument);
  EXPECT_THROW(RadialBasis(RadialBasisOptions(RadialBasisType::cosine, 10, -1.0)), std::invalid_argument);
}

}  // namespace
}  // namespace e3::nn

namespace e3::nn {
namespace {

TEST(PolynomialEnvelope, IsOneAtZeroAndFallsToZeroSmoothlyAtTheCutoff) {
  // DimeNet's u(x) with p = 6: u(0) = 1, u(1) = u'(1) = u''(1) = 0, and 0 beyond.
  const auto x = torch::tensor({0.0, 0.5, 1.0, 1.3}, torch::kDouble);
  const auto u = polynomial_envelope(x, 6);
  EXPECT_NEAR(u[0].item<double>(), 1.0, 1e-15);
  // 1 - 28 / 64 + 48 / 128 - 21 / 256 = 0.85546875
  EXPECT_NEAR(u[1].item<double>(), 1.0 - 28.0 / 64.0 + 48.0 / 128.0 - 21.0 / 256.0, 1e-15);
  EXPECT_NEAR(u[2].item<double>(), 0.0, 1e-15);
  EXPECT_EQ(u[3].item<double>(), 0.0);
  // First and second derivatives vanish as x -> 1 from below.
  const auto near = torch::tensor({1.0 - 1e-4}, torch::kDouble).requires_grad_(true);
  const auto first = torch::autograd::grad({polynomial_envelope(near, 6).sum()}, {near}, {}, true, true)[0];
  const auto second = torch::autograd::grad({first.sum()}, {near})[0];
  EXPECT_LT(std::abs(first.item<double>()), 1e-5);
  EXPECT_LT(std::abs(second.item<double>()), 1e-1);
}

TEST(RadialBasis, EnvelopeMakesTheBesselBasisVanishSmoothlyAtItsCutoff) {
  RadialBasis plain(RadialBasisOptions(RadialBasisType::bessel, 8, 5.0));
  RadialBasis smooth(RadialBasisOptions(RadialBasisType::bessel, 8, 5.0).envelope(Envelope::polynomial));
  EXPECT_DOUBLE_EQ(smooth->cutoff(), 5.0);
  // Without the envelope the first function jumps at the cutoff; with it, nothing is left.
  const auto just_inside = torch::tensor({5.0 - 1e-6}, torch::kDouble);
  EXPECT_GT(plain->forward(torch::tensor({4.9}, torch::kDouble)).abs().max().item<double>(), 0.01);
  EXPECT_LT(smooth->forward(just_inside).abs().max().item<double>(), 1e-12);
  EXPECT_EQ(smooth->forward(torch::tensor({5.5}, torch::kDouble)).abs().max().item<double>(), 0.0);
  // Still normalized: unit mean square over [0, cutoff].
  const auto d = (torch::arange(20000, torch::kDouble) + 0.5) * (5.0 / 20000);
  EXPECT_NEAR(smooth->forward(d).pow(2).mean().item<double>(), 1.0, 1e-9);
  EXPECT_EQ(envelope_from_string("polynomial"), Envelope::polynomial);
  EXPECT_THROW(envelope_from_string("cosine"), std::invalid_argument);
  EXPECT_THROW(RadialBasis(RadialBasisOptions(RadialBasisType::bessel, 8, 5.0).envelope_exponent(0)),
               std::invalid_argument);
}

}  // namespace
}  // namespace e3::nn
