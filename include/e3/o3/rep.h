#pragma once
// The representation of a whole feature vector, thesis (2.33).

#include <torch/types.h>

#include "e3/o3/rotation.h"
#include "e3/o3/rs.h"

namespace e3::o3 {

/// The block-diagonal matrix [..., dim(rs), dim(rs)] that rotates a flat feature of layout
/// `rs`: one D^l(alpha, beta, gamma) block per copy of every entry, in layout order. With
/// `inversion`, the O(3) element "rotation followed by inversion" is represented instead:
/// each block is multiplied by its entry's parity (every entry must then have one).
torch::Tensor rep(const Rs& rs, const EulerAngles& angles, bool inversion = false);

}  // namespace e3::o3
