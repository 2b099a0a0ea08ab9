#pragma once
// Target statistics of (2.59): the numbers the QM9 output layer (2.60) scales and shifts by.

#include <cstdint>
#include <vector>

#include "e3/data/dataset.h"

namespace e3::data {

/// Mean and standard deviation over `count` values. The standard deviation is the
/// population one (divided by count, as schnetpack's statistics that the thesis used).
struct TargetStatistics {
  double mean = 0.0;
  double std = 0.0;
  int64_t count = 0;
};

/// Mean and population standard deviation of `values` (two passes, for accuracy);
/// std::invalid_argument when `values` is empty.
TargetStatistics mean_and_std(const std::vector<double>& values);

/// Statistics of t~_m = (t_m - p_m) / A_m, (2.59), over the molecules `indices` of `dataset`
/// (with per_atom false: of t_m - p_m, for a network that averages over atoms)
/// (the training split only: the validation and test sets must not leak into the model):
/// t_m is the target in the thesis' unit, p_m the reference bias (2.58), A_m the number of
/// atoms. DataError (missing property) when a molecule lacks the target;
/// std::invalid_argument when `indices` is empty.
TargetStatistics target_statistics(const Dataset& dataset, const std::vector<size_t>& indices, Target target,
                                   bool per_atom = true);

/// The mean number of neighbours of an atom: atoms of the same molecule strictly closer than
/// `cutoff` (Angstrom), averaged over every atom of the molecules `indices` (0 when there are
/// none). The kernel normalization (B.7) divides by it.
double mean_neighbor_count(const Dataset& dataset, const std::vector<size_t>& indices, double cutoff);

}  // namespace e3::data
