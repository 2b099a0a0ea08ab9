#include "e3/data/summary.h"

#include <algorithm>
#include <stdexcept>

namespace e3::data {

DatasetSummary summarize(const Dataset& dataset) {
  if (dataset.empty()) throw std::invalid_argument("summary of an empty dataset");
  DatasetSummary summary;
  summary.molecules = dataset.size();
  int64_t atoms = 0;
  std::array<std::vector<double>, kNumTargets> values;
  for (const Molecule& molecule : dataset) {
    atoms += molecule.num_atoms();
    summary.atoms_max = std::max(summary.atoms_max, molecule.num_atoms());
    for (int64_t z : molecule.atomic_numbers) ++summary.element_counts[z];
    for (Target target : all_targets()) {
      if (molecule.has(target)) values[target_index(target)].push_back(molecule.targets[target_index(target)]);
    }
  }
  summary.atoms_mean = static_cast<double>(atoms) / static_cast<double>(dataset.size());
  for (size_t t = 0; t < kNumTargets; ++t) {
    if (!values[t].empty()) summary.targets[t] = mean_and_std(values[t]);
  }
  return summary;
}

}  // namespace e3::data
