#include "e3/o3/rs.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace e3::o3 {
namespace {

// The message of the std::invalid_argument that parsing `text` throws ("" if none).
std::string parse_error(const std::string& text) {
  try {
    Rs::parse(text);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(Rs, ParsesStringFormWithParity) {
  const Rs rs = Rs::parse("64x0e+21x1o");
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0], (Irrep{64, 0, 1}));
  EXPECT_EQ(rs[1], (Irrep{21, 1, -1}));
  EXPECT_EQ(rs.dim(), 64 + 21 * 3);
  EXPECT_EQ(rs.lmax(), 1);
  EXPECT_EQ(rs.num_irreps(), 85);
}

TEST(Rs, ParsesStringFormWithoutParityOrMultiplicity) {
  const Rs rs = Rs::parse(" 2x0 + 1 + 3x2e ");
  EXPECT_EQ(rs, (Rs{{2, 0, 0}, {1, 1, 0}, {3, 2, 1}}));
  EXPECT_EQ(rs.str(), "2x0+1x1+3x2e");
}

TEST(Rs, ParsesListForm) {
  EXPECT_EQ(Rs::parse("[(2, 0), (1, 1)]"), (Rs{{2, 0}, {1, 1}}));
  EXPECT_EQ(Rs::parse("[(64,0,1),(21,1,-1)]"), Rs::parse("64x0e+21x1o"));
  EXPECT_EQ(Rs::parse("[]"), Rs());
  EXPECT_EQ(Rs::parse(""), Rs());
}

TEST(Rs, RoundTripsBothNotations) {
  for (const std::string text : {"64x0e+21x1o", "42x0+14x1+8x2", "1x0+1x0+0x3o", "5x3e+2x11o"}) {
    const Rs rs = Rs::parse(text);
    EXPECT_EQ(Rs::parse(rs.str()), rs) << text;
    EXPECT_EQ(Rs::parse(rs.list_str()), rs) << text;
    EXPECT_EQ(rs.str(), text);
  }
  EXPECT_EQ(Rs::parse("64x0e+21x1o").list_str(), "[(64, 0, 1), (21, 1, -1)]");
  EXPECT_EQ(Rs::parse("2x0+1x1").list_str(), "[(2, 0), (1, 1)]");
}

TEST(Rs, DimAndOffsetsFollowTheFlatLayout) {
  const Rs rs = Rs::parse("42x0+14x1+8x2");
  EXPECT_EQ(rs.dim(), 42 + 14 * 3 + 8 * 5);
  EXPECT_EQ(rs.offsets(), (std::vector<int64_t>{0, 42, 84, 124}));
  // The thesis' example (2.31): Rs = [(2, 0), (1, 1)] has dim 5.
  EXPECT_EQ(Rs::parse("[(2, 0), (1, 1)]").dim(), 5);
  EXPECT_EQ(Rs::parse("[(1, 0), (1, 1), (1, 0)]").offsets(), (std::vector<int64_t>{0, 1, 4, 5}));
  EXPECT_EQ(Rs().dim(), 0);
  EXPECT_EQ(Rs().lmax(), -1);
}

TEST(Rs, SimplifyMergesNeighboursAndDropsEmptyEntries) {
  EXPECT_EQ(Rs::parse("1x0+2x0+0x1+1x1+3x1").simplify(), Rs::parse("3x0+4x1"));
  // Entries of the same l that are not neighbours keep their place in the layout.
  EXPECT_EQ(Rs::parse("1x0+1x1+1x0").simplify(), Rs::parse("1x0+1x1+1x0"));
  EXPECT_EQ(Rs::parse("1x0e+1x0o").simplify(), Rs::parse("1x0e+1x0o"));
  EXPECT_EQ(Rs::parse("3x2+4x2").simplify().dim(), Rs::parse("3x2+4x2").dim());
}

TEST(Rs, MultiplicityQueries) {
  const Rs rs = Rs::parse("2x0e+3x1o+1x0o+4x1e");
  EXPECT_EQ(rs.mul_of(0), 3);
  EXPECT_EQ(rs.mul_of(1, -1), 3);
  EXPECT_EQ(rs.mul_of(1, 1), 4);
  EXPECT_TRUE(rs.has_parity());
  EXPECT_FALSE(Rs::parse("2x0+1x1").has_parity());
}

TEST(Rs, BadStringsGiveClearErrors) {
  EXPECT_NE(parse_error("3x").find("expected an order l after 'x'"), std::string::npos) << parse_error("3x");
  EXPECT_NE(parse_error("x1e").find("expected a multiplicity or an order l at position 0 (found 'x')"),
            std::string::npos)
      << parse_error("x1e");
  EXPECT_NE(parse_error("-1x0e").find("multiplicity must not be negative"), std::string::npos)
      << parse_error("-1x0e");
  EXPECT_NE(parse_error("2x-1").find("order l must not be negative"), std::string::npos);
  EXPECT_NE(parse_error("1x1q").find("expected '+' or the end of the text"), std::string::npos);
  EXPECT_NE(parse_error("1x0+").find("at the end of the text"), std::string::npos);
  EXPECT_NE(parse_error("[(1, 0)").find("expected ',' or ']'"), std::string::npos);
  EXPECT_NE(parse_error("[(1, 0, 2)]").find("parity must be 1, -1 or 0"), std::string::npos);
  EXPECT_NE(parse_error("[(-1, 0)]").find("multiplicity must not be negative"), std::string::npos);
  EXPECT_NE(parse_error("99999999999x0").find("too large"), std::string::npos);
  // Every message quotes the text.
  EXPECT_NE(parse_error("3x").find("invalid Rs \"3x\""), std::string::npos);
}

}  // namespace
}  // namespace e3::o3
