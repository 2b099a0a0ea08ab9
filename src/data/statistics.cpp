#include "e3/data/statistics.h"

#include <cmath>
#include <stdexcept>

#include "e3/data/atom_refs.h"
#include "e3/data/geometry.h"

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

TargetStatistics target_statistics(const Dataset& dataset, const std::vector<size_t>& indices, Target target,
                                   bool per_atom) {
  if (indices.empty()) {
    throw std::invalid_argument(std::string("statistics of ") + target_name(target) + " over no molecules");
  }
  std::vector<double> values;
  values.reserve(indices.size());
  for (size_t index : indices) {
    const Molecule& molecule = dataset.molecules().at(index);
    const double offset = molecule.target(target) - reference_bias(molecule.atomic_numbers, target);
    values.push_back(per_atom ? offset / static_cast<double>(molecule.num_atoms()) : offset);
  }
  return mean_and_std(values);
}

double mean_neighbor_count(const Dataset& dataset, const std::vector<size_t>& indices, double cutoff) {
  int64_t atoms = 0, pairs = 0;
  for (size_t index : indices) {
    const Molecule& molecule = dataset.molecules().at(index);
    atoms += molecule.num_atoms();
    for_each_atom_pair(molecule, cutoff, [&](int64_t, int64_t, double, double, double) { ++pairs; });
  }
  return atoms > 0 ? static_cast<double>(pairs) / static_cast<double>(atoms) : 0.0;
}

}  // namespace e3::data
