#include "e3/train/moment_statistics.h"

#include <array>
#include <cmath>
#include <stdexcept>

#include "e3/nn/moments.h"

namespace e3::train {
namespace {

// |r_a - r_c|^2 of every atom of `molecule`, r_c the centre of the weights (1: the centroid;
// the atomic numbers: the centre of nuclear charge), Angstrom^2.
std::vector<double> squared_distances(const data::Molecule& molecule, bool nuclear_charge_centre) {
  std::array<double, 3> centre{0.0, 0.0, 0.0};
  double total = 0.0;
  for (int64_t a = 0; a < molecule.num_atoms(); ++a) {
    const double weight = nuclear_charge_centre ? double(molecule.atomic_numbers[a]) : 1.0;
    for (int k = 0; k < 3; ++k) centre[k] += weight * molecule.positions[3 * a + k];
    total += weight;
  }
  std::vector<double> result;
  for (int64_t a = 0; a < molecule.num_atoms(); ++a) {
    double square = 0.0;
    for (int k = 0; k < 3; ++k) square += std::pow(molecule.positions[3 * a + k] - centre[k] / total, 2);
    result.push_back(square);
  }
  return result;
}

void require_molecules(const std::vector<size_t>& indices, const char* readout) {
  if (indices.empty()) throw std::invalid_argument(std::string(readout) + " readout: no training molecules");
}

}  // namespace

double dipole_scale(const data::Dataset& dataset, const std::vector<size_t>& indices) {
  require_molecules(indices, "dipole");
  double target_square = 0.0, lever_square = 0.0;
  for (size_t index : indices) {
    const auto& molecule = dataset[index];
    target_square += std::pow(molecule.target(data::Target::mu), 2);
    for (double square : squared_distances(molecule, false)) lever_square += square + 3.0;
  }
  const double scale = std::sqrt(target_square / lever_square) / nn::kDebyePerElectronAngstrom;
  return scale > 0.0 ? scale : 1.0 / nn::kDebyePerElectronAngstrom;
}

SpatialExtentWeights spatial_extent_weights(const data::Dataset& dataset, const std::vector<size_t>& indices) {
  require_molecules(indices, "spatial_extent");
  constexpr double kBohrSquared = nn::kBohrRadiusAngstrom * nn::kBohrRadiusAngstrom;
  std::vector<double> targets, extents, spreads;
  double cross = 0.0, extent_square = 0.0;
  for (size_t index : indices) {
    const auto& molecule = dataset[index];
    double extent = 0.0, spread = 0.0;
    for (double square : squared_distances(molecule, true)) {
      extent += square / kBohrSquared;
      spread += std::pow(square / kBohrSquared, 2);
    }
    const double target = molecule.target(data::Target::r2);
    targets.push_back(target);
    extents.push_back(extent);
    spreads.push_back(spread);
    cross += target * extent;
    extent_square += extent * extent;
  }
  SpatialExtentWeights weights;
  weights.mean = extent_square > 0.0 ? cross / extent_square : 0.0;
  double residual_square = 0.0, spread_sum = 0.0;
  for (size_t m = 0; m < targets.size(); ++m) {
    residual_square += std::pow(targets[m] - weights.mean * extents[m], 2);
    spread_sum += spreads[m];
  }
  if (residual_square > 0.0 && spread_sum > 0.0) weights.scale = std::sqrt(residual_square / spread_sum);
  return weights;
}

}  // namespace e3::train
