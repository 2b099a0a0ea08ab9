#pragma once
// Wigner D matrices of the real spherical harmonics (thesis (2.28)-(2.29)).
//
// D^l(R) is the (2l+1) x (2l+1) orthogonal matrix with Y^l(R x) = D^l(R) Y^l(x) for every
// x, in the basis and order of spherical_harmonics.h (m = -l..l, z polar). It is a
// representation: D^l(R1 R2) = D^l(R1) D^l(R2), and D^1(R) = P R P^T where P reorders
// (x, y, z) into (y, z, x).

#include <torch/types.h>

#include "e3/o3/rotation.h"

namespace e3::o3 {

/// D^l(alpha, beta, gamma) for z-y-z Euler angles: [..., 2l+1, 2l+1] in the angles' dtype.
/// Differentiable with respect to the angles.
///
/// Computed as D_z(alpha) J_l D_z(beta) J_l^T D_z(gamma): D_z is the closed-form rotation
/// about the polar axis (it mixes m and -m), and J_l = D^l(Q) for the fixed rotation Q that
/// takes z to y, obtained once per l from (2.29) by an exact quadrature and cached.
torch::Tensor wigner_d(int l, const EulerAngles& angles);

/// D^l of a rotation about z alone: [..., 2l+1, 2l+1].
torch::Tensor wigner_d_z(int l, const torch::Tensor& angle);

}  // namespace e3::o3
