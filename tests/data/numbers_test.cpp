#include "e3/data/numbers.h"

#include <gtest/gtest.h>

#include <cmath>

namespace e3::data {
namespace {

TEST(DataNumbers, ParsesDecimalAndScientificTokens) {
  EXPECT_EQ(parse_real("0."), 0.0);  // QM9's original files write mu = 0 as "0."
  EXPECT_EQ(parse_real("-0.0126981359"), -0.0126981359);
  EXPECT_EQ(parse_real(".5"), 0.5);
  EXPECT_EQ(parse_real("+2"), 2.0);
  EXPECT_EQ(parse_real("1.5e-3"), 1.5e-3);
  EXPECT_EQ(parse_real("-2.25E+2"), -225.0);
}

TEST(DataNumbers, ParsesMathematicaExponentsLikeTheSameNumberWithE) {
  EXPECT_EQ(parse_real("1.2*^-6"), 1.2e-6);
  EXPECT_EQ(parse_real("-3.3495*^-5"), -3.3495e-5);
  EXPECT_EQ(parse_real("2.5*^3"), 2500.0);
  EXPECT_EQ(parse_real("+7.1*^+2"), 710.0);
}

TEST(DataNumbers, RejectsWhatIsNotOneWholeNumber) {
  for (const char* token :
       {"", "abc", "1.2.3", "1,5", "1.2*^", "*^5", "1e3*^2", "1.2*^x", "--1", "+-1", "1 ", "0x10"}) {
    EXPECT_FALSE(parse_real(token).has_value()) << token;
  }
}

TEST(DataNumbers, NanAndInfinityParseSoCallersCanNameThem) {
  EXPECT_TRUE(std::isnan(*parse_real("nan")));
  EXPECT_TRUE(std::isinf(*parse_real("-inf")));
}

TEST(DataNumbers, ParsesIntegers) {
  EXPECT_EQ(parse_integer("5"), 5);
  EXPECT_EQ(parse_integer("-3"), -3);
  EXPECT_EQ(parse_integer("+7"), 7);
  EXPECT_EQ(parse_integer("000001"), 1);
  for (const char* token : {"", "5.0", "1e3", "x", "99999999999999999999", "+-1"}) {
    EXPECT_FALSE(parse_integer(token).has_value()) << token;
  }
}

}  // namespace
}  // namespace e3::data
