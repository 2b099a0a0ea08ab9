#include "e3/o3/quadrature.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace e3::o3 {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Gauss-Legendre nodes and weights on [-1, 1] with n points (exact to degree 2n-1), by
// Newton's method on P_n from the usual Chebyshev-like starting points.
void gauss_legendre(int n, std::vector<double>& nodes, std::vector<double>& weights) {
  nodes.assign(n, 0.0);
  weights.assign(n, 0.0);
  for (int i = 0; i < n; ++i) {
    double z = std::cos(kPi * (i + 0.75) / (n + 0.5));
    double derivative = 1.0;
    for (int iteration = 0; iteration < 100; ++iteration) {
      double p0 = 1.0;
      double p1 = z;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      // P_n = p1, P_{n-1} = p0; P_n'(z) = n (z P_n - P_{n-1}) / (z^2 - 1).
      derivative = n * (z * p1 - p0) / (z * z - 1.0);
      const double step = p1 / derivative;
      z -= step;
      if (std::abs(step) < 1e-16) break;
    }
    nodes[i] = z;
    weights[i] = 2.0 / ((1.0 - z * z) * derivative * derivative);
  }
}

}  // namespace

SphereQuadrature sphere_quadrature(int degree) {
  if (degree < 0) throw std::invalid_argument("sphere_quadrature: degree must not be negative");
  // A monomial x^a y^b z^c is, on the sphere, sin(phi)^(a+b) z^c times a trigonometric
  // polynomial of degree a+b in the azimuth: the trapezoid rule with degree+1 points
  // integrates it exactly, and when a+b is even the z part is a polynomial of degree
  // <= degree, which Gauss-Legendre with ceil((degree+1)/2) points integrates exactly
  // (when a+b is odd the azimuthal integral vanishes and the rule gives 0 as well).
  const int n_z = degree / 2 + 1;
  const int n_azimuth = degree + 1;
  std::vector<double> nodes, gl_weights;
  gauss_legendre(n_z, nodes, gl_weights);

  auto points = torch::empty({n_z * n_azimuth, 3}, torch::kDouble);
  auto weights = torch::empty({n_z * n_azimuth}, torch::kDouble);
  auto p = points.accessor<double, 2>();
  auto w = weights.accessor<double, 1>();
  int q = 0;
  for (int i = 0; i < n_z; ++i) {
    const double z = nodes[i];
    const double s = std::sqrt(std::max(0.0, 1.0 - z * z));
    for (int j = 0; j < n_azimuth; ++j, ++q) {
      const double theta = 2.0 * kPi * j / n_azimuth;
      p[q][0] = s * std::cos(theta);
      p[q][1] = s * std::sin(theta);
      p[q][2] = z;
      w[q] = gl_weights[i] * 2.0 * kPi / n_azimuth;
    }
  }
  return {points, weights};
}

}  // namespace e3::o3
