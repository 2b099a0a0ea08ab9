#pragma once
// Real spherical harmonics Y^l_m, thesis (2.24)-(2.27).
//
// Convention (used by every part of e3cpp):
//   * z is the polar axis: with x = (sin(phi) cos(theta), sin(phi) sin(theta), cos(phi)),
//     phi is the polar angle measured from +z and theta the azimuth in the x-y plane.
//   * Components are ordered m = -l, ..., 0, ..., l. For m > 0 the harmonic is
//     sqrt(2) N_lm P_l^m(cos phi) cos(m theta), for m < 0 it is sqrt(2) N_l|m| P_l^|m| sin(|m| theta),
//     which is (2.27) applied to the complex harmonics (2.24) with the Condon-Shortley phase
//     of (2.25) (the phase cancels in the real combination). In particular
//     Y^1 = sqrt(3 / 4pi) * (y, z, x) / |x|: the basis order of l = 1 is (y, z, x).
//   * Rotation: Y^l(R x) = D^l(R) Y^l(x), with D^l from wigner_d.h.
//
// The harmonics are evaluated as polynomials in the Cartesian coordinates (a recurrence in
// z for the Legendre part and in x + iy for the azimuthal part), so they are smooth and
// differentiable by LibTorch autograd everywhere, in float32 and float64.

#include <torch/types.h>

#include <vector>

namespace e3::o3 {

/// How each order l is scaled.
enum class ShNormalization {
  /// Orthonormal on the unit sphere: integral of Y^l_m Y^l'_m' = delta (the thesis').
  integral,
  /// sum_m (Y^l_m)^2 = 2l+1 on the unit sphere (each component has unit mean square).
  component,
};

/// Options of spherical_harmonics().
struct SphericalHarmonicsOptions {
  /// Evaluate on x / |x| (true) or on x itself (false): then Y^l is the homogeneous
  /// polynomial |x|^l Y^l(x / |x|) (the solid harmonic).
  TORCH_ARG(bool, normalize) = true;
  TORCH_ARG(ShNormalization, normalization) = ShNormalization::integral;
};

/// Y^l for every vector of `vectors` ([..., 3]); returns [..., 2l+1] in the dtype of `vectors`.
/// With normalize, a zero vector gives Y^0 and zeros for l > 0 (never NaN).
torch::Tensor spherical_harmonics(int l, const torch::Tensor& vectors,
                                  const SphericalHarmonicsOptions& options = {});

/// Y^l for each l of `ls`, concatenated along the last dimension in the order given:
/// [..., sum_l (2l+1)]. Shares the recurrence between orders.
torch::Tensor spherical_harmonics(const std::vector<int>& ls, const torch::Tensor& vectors,
                                  const SphericalHarmonicsOptions& options = {});

}  // namespace e3::o3
