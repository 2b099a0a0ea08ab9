#pragma once
// How well an ensemble's standard deviation tells its errors: on molecules with known values,
// the Spearman rank correlation between the members' standard deviation and the absolute error
// of their mean, and the fractions of molecules whose error is within one and two standard
// deviations (0.683 and 0.954 for errors drawn from a normal distribution of that deviation).

#include <cstdint>
#include <vector>

namespace e3::train {

struct Calibration {
  int64_t count = 0;           ///< molecules
  double spearman = 0;         ///< rank correlation of std and |error|, in [-1, 1] (NaN when either is constant)
  double within_one_std = 0;   ///< fraction with |error| <= std
  double within_two_std = 0;   ///< fraction with |error| <= 2 std
  double mean_std = 0;         ///< the mean standard deviation
  double mean_error = 0;       ///< the mean absolute error
};

/// The calibration of `predictions` (the ensemble's mean) with standard deviations `spread`
/// against `targets`, all of one length (std::invalid_argument otherwise, or when empty).
Calibration calibration(const std::vector<double>& predictions, const std::vector<double>& spread,
                        const std::vector<double>& targets);

/// Spearman's rank correlation of `a` and `b` (the Pearson correlation of their ranks, ties
/// given their mean rank); NaN when either is constant. std::invalid_argument for lengths that
/// differ or are below 2.
double spearman_correlation(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace e3::train
