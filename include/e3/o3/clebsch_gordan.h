#pragma once
// Clebsch-Gordan coefficients in the real basis, thesis (2.30).

#include <torch/types.h>

namespace e3::o3 {

/// C_{l1,l2,l}: a [2l1+1, 2l2+1, 2l+1] tensor in the basis of spherical_harmonics.h with
///   (D^l1(R) (x) D^l2(R)) C = C D^l(R)    for every rotation R,
/// i.e. column m of C (flattened over (m1, m2)) spans the copy of irrep l inside l1 (x) l2,
/// and conversely sum_{m1,m2} C[m1,m2,m] a_m1 b_m2 transforms like order l. The columns are
/// orthonormal: sum_{m1,m2} C[m1,m2,m] C[m1,m2,m'] = delta_mm'. C is zero unless
/// |l1 - l2| <= l <= l1 + l2 (then the tensor is all zeros).
///
/// Obtained from the complex coefficients <l1 m1 l2 m2 | l m> (Racah's formula,
/// Condon-Shortley phase) by the change of basis (2.27); the result is real when
/// l1 + l2 + l is even and purely imaginary otherwise, in which case it is multiplied by -i.
/// Computed once per triple (in float64) and cached; `dtype` converts the cached copy.
torch::Tensor clebsch_gordan(int l1, int l2, int l, torch::Dtype dtype = torch::kDouble);

}  // namespace e3::o3
