#pragma once
// Physical moments of a molecule built from per-atom outputs: the readouts that make l > 0
// features pay off (PaiNN's and schnetpack's dipole and spatial-extent outputs, written here
// from their definitions).
//
//   dipole moment:     mu = k_D sum_i (q~_i (r_i - r_c) + p_i),  q~_i = q_i - (1/A) sum_j q_j
//   spatial extent:    <R^2> = (1 / a0^2) sum_i w_i |r_i - r_c|^2
//
// Positions are in Angstrom, charges q in elementary charges e, atomic dipoles p in e
// Angstrom, weights w in electrons. The charges are made neutral per molecule (the mean charge
// of the molecule's atoms is subtracted), so the dipole of a neutral molecule does not depend
// on the origin: the centre r_c only keeps the numbers small (float32). The centre of the
// spatial extent does matter: it is the centre of the weights `centre_weights` (the nuclear
// charges give QM9's <R^2>, which Gaussian computes about the centre of nuclear charge of its
// standard orientation; schnetpack uses the centre of mass instead).
//
// The constants are CODATA 2018: e = 1.602176634e-19 C (exact), 1 D = 1e-21 / c C m with
// c = 299792458 m/s (exact), so 1 e Angstrom = 1.602176634e-29 C m = 4.80320471 D; the bohr
// radius a0 = 0.529177210903 Angstrom.

#include <torch/types.h>

namespace e3::nn {

/// Debye per elementary charge times Angstrom (CODATA 2018, see above).
constexpr double kDebyePerElectronAngstrom = 4.803204712570263;
/// The bohr radius in Angstrom (CODATA 2018).
constexpr double kBohrRadiusAngstrom = 0.529177210903;
/// The epsilon inside the norm of smooth_norm(): |v| is sqrt(|v|^2 + eps^2), in the vectors' unit
/// (Debye for dipoles), so that its gradient stays finite (0) at v = 0 while the value differs
/// from |v| by at most 1e-6 (at v = 0) and by eps^2 / (2|v|) elsewhere.
constexpr double kNormEpsilon = 1e-6;

/// The weighted centre of every cloud: [num_clouds, 3], sum_i w_i r_i / sum_i w_i over the
/// cloud's atoms (`positions` [N, 3], `weights` [N] > 0, `cloud_index` [N] int64). A cloud
/// without atoms has the centre 0.
torch::Tensor weighted_centres(const torch::Tensor& positions, const torch::Tensor& weights,
                               const torch::Tensor& cloud_index, int64_t num_clouds);

/// The charges minus their cloud's mean charge: every cloud's charges sum to 0. [N] -> [N].
torch::Tensor neutral_charges(const torch::Tensor& charges, const torch::Tensor& cloud_index, int64_t num_clouds);

/// Dipole vectors in Debye, [num_clouds, 3] (x, y, z), of the charges [N] (e, made neutral
/// here) at `positions` [N, 3] (Angstrom) plus the atomic dipoles [N, 3] (e Angstrom, x, y,
/// z; may be undefined: none). The centre r_c is each cloud's centroid.
torch::Tensor dipole_vectors(const torch::Tensor& charges, const torch::Tensor& atomic_dipoles,
                             const torch::Tensor& positions, const torch::Tensor& cloud_index, int64_t num_clouds);

/// sqrt(|v|^2 + kNormEpsilon^2) of each row of `vectors` [M, 3] -> [M].
torch::Tensor smooth_norm(const torch::Tensor& vectors);

/// Spatial extents in bohr^2, [num_clouds]: sum_i w_i |r_i - r_c|^2 / a0^2, w [N] (electrons),
/// positions [N, 3] (Angstrom), r_c the centre of `centre_weights` [N] (> 0).
torch::Tensor spatial_extents(const torch::Tensor& weights, const torch::Tensor& positions,
                              const torch::Tensor& centre_weights, const torch::Tensor& cloud_index,
                              int64_t num_clouds);

}  // namespace e3::nn
