// The ASHA decision rule and its rungs.

#include "e3/search/asha.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace e3::search {
namespace {

TEST(Asha, RungsAreGeometricAndBelowTheLastEpoch) {
  EXPECT_EQ(asha_rungs({3, 1}, 10), (std::vector<int64_t>{1, 3, 9}));
  EXPECT_EQ(asha_rungs({3, 1}, 9), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(asha_rungs({2, 2}, 16), (std::vector<int64_t>{2, 4, 8}));
  EXPECT_EQ(asha_rungs({4, 5}, 5), (std::vector<int64_t>{}));
  EXPECT_THROW(asha_rungs({1, 1}, 10), std::invalid_argument);
  EXPECT_THROW(asha_rungs({3, 0}, 10), std::invalid_argument);
}

TEST(Asha, EveryTrialPassesARungWithFewerThanEtaScores) {
  EXPECT_TRUE(asha_continues(5.0, {5.0}, 3));
  EXPECT_TRUE(asha_continues(5.0, {1.0, 5.0}, 3));  // the worse of two still passes
  EXPECT_FALSE(asha_continues(5.0, {1.0, 5.0}, 2));  // with eta 2, two scores keep one
}

TEST(Asha, KeepsTheBestOneInEta) {
  // Three scores, eta 3: only the best continues; a tie with the best continues too.
  EXPECT_TRUE(asha_continues(1.0, {2.0, 1.0, 3.0}, 3));
  EXPECT_FALSE(asha_continues(2.0, {2.0, 1.0, 3.0}, 3));
  EXPECT_TRUE(asha_continues(1.0, {1.0, 1.0, 3.0}, 3));
  // Nine scores 1..9, eta 3: floor(9/3) = 3 are kept, so 1, 2, 3 continue and 4..9 stop.
  std::vector<double> nine = {9, 1, 8, 2, 7, 3, 6, 4, 5};
  for (double score : nine) EXPECT_EQ(asha_continues(score, nine, 3), score <= 3.0) << score;
  // Eleven scores keep floor(11/3) = 3 as well; twelve keep 4.
  std::vector<double> eleven = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  EXPECT_TRUE(asha_continues(3, eleven, 3));
  EXPECT_FALSE(asha_continues(4, eleven, 3));
  eleven.push_back(12);
  EXPECT_TRUE(asha_continues(4, eleven, 3));
  EXPECT_FALSE(asha_continues(5, eleven, 3));
}

}  // namespace
}  // namespace e3::search
