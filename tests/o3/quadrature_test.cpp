#include "e3/o3/quadrature.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace e3::o3 {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Integral over the unit sphere of x^a y^b z^c (Folland's formula): zero unless a, b, c
// are all even, else 2 G(A) G(B) G(C) / G(A + B + C) with A = (a+1)/2 etc.
double monomial_integral(int a, int b, int c) {
  if (a % 2 || b % 2 || c % 2) return 0.0;
  const double ha = (a + 1) / 2.0, hb = (b + 1) / 2.0, hc = (c + 1) / 2.0;
  return 2.0 * std::exp(std::lgamma(ha) + std::lgamma(hb) + std::lgamma(hc) - std::lgamma(ha + hb + hc));
}

TEST(SphereQuadrature, ExactForEveryMonomialUpToItsDegree) {
  for (int degree : {0, 1, 4, 7, 12}) {
    const auto rule = sphere_quadrature(degree);
    EXPECT_NEAR(rule.weights.sum().item<double>(), 4 * kPi, 1e-12);
    EXPECT_LT((rule.points.norm(2, -1) - 1).abs().max().item<double>(), 1e-14);
    const auto x = rule.points.select(1, 0), y = rule.points.select(1, 1), z = rule.points.select(1, 2);
    for (int a = 0; a <= degree; ++a) {
      for (int b = 0; a + b <= degree; ++b) {
        for (int c = 0; a + b + c <= degree; ++c) {
          const double estimate = (rule.weights * x.pow(a) * y.pow(b) * z.pow(c)).sum().item<double>();
          EXPECT_NEAR(estimate, monomial_integral(a, b, c), 1e-12) << degree << ": " << a << b << c;
        }
      }
    }
  }
}

}  // namespace
}  // namespace e3::o3
