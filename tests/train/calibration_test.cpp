// The calibration of an ensemble's standard deviation: Spearman's rank correlation (ties at
// their mean rank) and the fractions of errors within one and two standard deviations.

#include "e3/train/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace e3::train {
namespace {

TEST(Calibration, SpearmanOfMonotoneSeriesIsOneOrMinusOne) {
  EXPECT_DOUBLE_EQ(spearman_correlation({1, 2, 3, 4}, {10, 20, 30, 400}), 1.0);
  EXPECT_DOUBLE_EQ(spearman_correlation({1, 2, 3, 4}, {4, 3, 2, -100}), -1.0);
}

TEST(Calibration, SpearmanGivesTiesTheirMeanRank) {
  // Ranks (1, 2.5, 2.5, 4) and (1, 2, 3, 4) about their mean 2.5: 4.5 / sqrt(4.5 * 5).
  EXPECT_NEAR(spearman_correlation({1, 2, 2, 3}, {1, 2, 3, 4}), 4.5 / std::sqrt(4.5 * 5.0), 1e-15);
  EXPECT_TRUE(std::isnan(spearman_correlation({2, 2, 2}, {1, 2, 3})));
  EXPECT_THROW(spearman_correlation({1}, {1}), std::invalid_argument);
  EXPECT_THROW(spearman_correlation({1, 2}, {1, 2, 3}), std::invalid_argument);
}

TEST(Calibration, CountsErrorsWithinOneAndTwoStandardDeviations) {
  // Errors 0.5, 1, 1.5 and 3 against standard deviations of 1: two within one (the bound
  // included), three within two.
  const auto c = calibration({0, 0, 0, 0}, {1, 1, 1, 1}, {0.5, -1, 1.5, 3});
  EXPECT_EQ(c.count, 4);
  EXPECT_DOUBLE_EQ(c.within_one_std, 0.5);
  EXPECT_DOUBLE_EQ(c.within_two_std, 0.75);
  EXPECT_DOUBLE_EQ(c.mean_std, 1.0);
  EXPECT_DOUBLE_EQ(c.mean_error, 1.5);
  EXPECT_TRUE(std::isnan(c.spearman)) << "a constant standard deviation ranks nothing";
  // A deviation that grows with the error correlates perfectly.
  EXPECT_DOUBLE_EQ(calibration({0, 0, 0}, {0.1, 0.2, 0.3}, {1, -2, 3}).spearman, 1.0);
  EXPECT_THROW(calibration({}, {}, {}), std::invalid_argument);
}

}  // namespace
}  // namespace e3::train
