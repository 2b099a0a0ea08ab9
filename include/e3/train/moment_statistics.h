#pragma once
// The training statistics of the physical readouts (nn/scale_shift_readout.h, nn/moments.h):
// what sets the size of the charges or weights that a head's unit outputs stand for, so that
// a freshly initialized head predicts values of the data's size.

#include <cstddef>
#include <vector>

#include "e3/data/dataset.h"

namespace e3::train {

/// The dipole readout's scale (e per unit output): with independent unit charges R_a and unit
/// atomic dipoles, the mean square dipole k_D^2 s^2 sum_a (|r_a - r_c|^2 + 3 Angstrom^2)
/// equals the training molecules' mean square mu; `indices` the training molecules with mu.
/// std::invalid_argument when `indices` is empty.
double dipole_scale(const data::Dataset& dataset, const std::vector<size_t>& indices);

/// The spatial extent readout's weights (electrons): `mean`, the weight w that fits
/// t_m = w sum_a |r_a - r_c|^2 / a0^2 best in least squares, and `scale`, that with which
/// independent unit outputs spread the prediction as much as the residuals t_m - w D_m spread
/// (r_c the centre of nuclear charge); `indices` the training molecules with r2.
struct SpatialExtentWeights {
  double mean = 0.0;
  double scale = 1.0;
};
SpatialExtentWeights spatial_extent_weights(const data::Dataset& dataset, const std::vector<size_t>& indices);

}  // namespace e3::train
