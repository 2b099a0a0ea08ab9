#pragma once
// Quadrature on the unit sphere that is exact for polynomials of a given degree.

#include <torch/types.h>

namespace e3::o3 {

/// Points and weights of a product rule on the unit sphere: Gauss-Legendre in z = cos(phi)
/// times the trapezoid rule in the azimuth. sum_q weights[q] f(points[q]) equals the
/// integral of f over the sphere exactly (up to rounding) for every polynomial f in
/// (x, y, z) of total degree <= `degree`. The weights sum to 4 pi.
struct SphereQuadrature {
  torch::Tensor points;   ///< [N, 3] unit vectors, float64
  torch::Tensor weights;  ///< [N], float64
};

/// A rule exact to `degree` (>= 0), float64.
SphereQuadrature sphere_quadrature(int degree);

}  // namespace e3::o3
