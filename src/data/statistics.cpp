#include "e3/data/statistics.h"

#include <cmath>
#include <stdexcept>

#include "e3/data/atom_refs.h"

namespace e3::data {

TargetStatistics mean_and_std(const std::vector<double>& values) {
  if (values.empty()) throw std::invalid_argument("statistics of no values");
  TargetStatistics statistics;
  statistics.count = static_cast<int64_t>(values.size());
  double sum = 0.0;
  for (double value : values) sum += value;
  statistics.mean = sum / static_cast<double>(values.size());
  double squares = 0.0;
  for (double value : values) squares += (value - statistics.mean) * (value - statistics.mean);
  statistics.std = std::sqrt(squares / static_cast<double>(values.size()));
  return statistics;
}

TargetStatistics target_statistics(const Dataset& dataset, const std::vector<size_t>& indices, Target target) {
  if (indices.empty()) {
    throw std::invalid_argument(std::string("statistics of ") + target_name(target) + " over no molecules");
  }
  std::vector<double> per_atom;
  per_atom.reserve(indices.size());
  for (size_t index : indices) {
    const Molecule& molecule = dataset.molecules().at(index);
    const double t = molecule.target(target);
    per_atom.push_back((t - reference_bias(molecule.atomic_numbers, target)) /
                       static_cast<double>(molecule.num_atoms()));
  }
  return mean_and_std(per_atom);
}

}  // namespace e3::data
