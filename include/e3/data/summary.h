#pragma once
// A description of a dataset: its size, atoms, elements and target distributions (what
// `e3cpp dataset` prints).

#include <array>
#include <cstdint>
#include <map>

#include "e3/data/dataset.h"
#include "e3/data/statistics.h"

namespace e3::data {

struct DatasetSummary {
  size_t molecules = 0;
  double atoms_mean = 0.0;  ///< mean number of atoms per molecule
  int64_t atoms_max = 0;
  std::map<int64_t, int64_t> element_counts;  ///< atomic number -> number of atoms
  /// Per target (index target_index()), over the molecules that have it, in the thesis'
  /// units; count 0 (mean and std 0) when no molecule has it.
  std::array<TargetStatistics, kNumTargets> targets{};
};

/// Summarizes `dataset` (std::invalid_argument when it is empty).
DatasetSummary summarize(const Dataset& dataset);

}  // namespace e3::data
