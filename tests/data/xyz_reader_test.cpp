#include "e3/data/xyz_reader.h"

#include <gtest/gtest.h>

#include "data_test_files.h"
#include "e3/data/dataset.h"

namespace e3::data {
namespace {

// Two frames verbatim from ../shared/qm9/qm9.extxyz.gz (molecules 1 and 6).
const std::string kTwoFrames =
    "5\n"
    "Properties=species:S:1:pos:R:3 gdb=1 A=157.7118 B=157.70997 C=157.70699 mu=0 alpha=13.21 homo=-0.3877 "
    "lumo=0.1171 gap=0.5048 r2=35.3641 zpve=0.044749 U0=-40.47893 U=-40.476062 H=-40.475117 G=-40.498597 "
    "Cv=6.469 pbc=\"F F F\"\n"
    "C -0.0126981359 1.0858041578 0.0080009958\n"
    "H 0.0021504160 -0.0060313176 0.0019761204\n"
    "H 1.0117308433 1.4637511618 0.0002765748\n"
    "H -0.5408150690 1.4475266138 -0.8766437152\n"
    "H -0.5238136345 1.4379326443 0.9063972942\n"
    "4\n"
    "Properties=species:S:1:pos:R:3 gdb=6 A=285.48839 B=38.9823 C=34.29892 mu=2.1089 alpha=14.18 homo=-0.267 "
    "lumo=-0.0406 gap=0.2263 r2=59.9891 zpve=0.026603 U0=-114.483613 U=-114.480746 H=-114.479802 G=-114.505268 "
    "Cv=6.413 smiles=\"C=O\" pbc=\"F F F\"\n"
    "C -0.0081044429 0.5904712421 0.0021096349\n"
    "O 0.0008055626 -0.6115587023 -0.0104657398\n"
    "H 0.9401431436 1.1793432307 0.0170006087\n"
    "H -0.9385838018 1.1717934451 0.0043211815\n";

TEST(DataExtendedXyz, ReadsQm9Frames) {
  const auto molecules = parse_xyz(kTwoFrames, "qm9.extxyz", "qm9.extxyz");
  ASSERT_EQ(molecules.size(), 2u);
  const Molecule& methane = molecules[0];
  EXPECT_EQ(methane.id, "1");
  EXPECT_EQ(methane.atomic_numbers, (std::vector<int64_t>{6, 1, 1, 1, 1}));
  ASSERT_EQ(methane.positions.size(), 15u);
  EXPECT_EQ(methane.positions[0], -0.0126981359);
  EXPECT_EQ(methane.positions[14], 0.9063972942);
  EXPECT_EQ(methane.source_file, "qm9.extxyz");
  EXPECT_EQ(methane.source_line, 1);
  EXPECT_EQ(methane.frame, 0);
  EXPECT_TRUE(methane.has_target.all());
  EXPECT_EQ(methane.target(Target::mu), 0.0);
  EXPECT_EQ(methane.target(Target::alpha), 13.21);
  EXPECT_EQ(methane.target(Target::r2), 35.3641);
  EXPECT_EQ(methane.target(Target::Cv), 6.469);
  EXPECT_DOUBLE_EQ(methane.target(Target::homo), -0.3877 * kHartreeInEv);
  EXPECT_DOUBLE_EQ(methane.target(Target::U0), -40.47893 * kHartreeInEv);

  const Molecule& formaldehyde = molecules[1];
  EXPECT_EQ(formaldehyde.id, "6");
  EXPECT_EQ(formaldehyde.atomic_numbers, (std::vector<int64_t>{6, 8, 1, 1}));
  EXPECT_EQ(formaldehyde.source_line, 8);
  EXPECT_EQ(formaldehyde.frame, 1);
  EXPECT_DOUBLE_EQ(formaldehyde.target(Target::G), -114.505268 * kHartreeInEv);
  // The SMILES is kept (the comparison of RDKit's geometries with QM9's reads it); methane's
  // frame has none.
  EXPECT_EQ(formaldehyde.smiles, "C=O");
  EXPECT_EQ(methane.smiles, "");
  EXPECT_EQ(formaldehyde.charge, 0);
  EXPECT_EQ(formaldehyde.geometry, "");
  EXPECT_EQ(formaldehyde.conformer, -1);
}

TEST(DataExtendedXyz, QuotedValuesMayHoldSpacesEqualsAndEscapedQuotes) {
  const std::string text =
      "2\n"
      "smiles=\"CC(=O)C\" note=\"a = b \\\"c\\\"\" U0=-1.5 flag pbc=\"F F F\" gdb=42\n"
      "H 0 0 0\n"
      "H 0 0 0.74\n";
  const auto molecules = parse_xyz(text, "t.xyz", "t.xyz");
  ASSERT_EQ(molecules.size(), 1u);
  EXPECT_EQ(molecules[0].id, "42");
  EXPECT_DOUBLE_EQ(molecules[0].target(Target::U0), -1.5 * kHartreeInEv);
  EXPECT_EQ(molecules[0].has_target.count(), 1u);
}

TEST(DataExtendedXyz, OtherColumnLayouts) {
  const std::string text =
      "2\n"
      "Properties=pos:R:3:forces:R:3:species:S:1 mu=1.5\n"
      "0 0 0  0.1 0.2 0.3  O\n"
      "0 0 0.96  0.4 0.5 0.6  H\n"
      "1\n"
      "Properties=Z:I:1:pos:R:3\n"
      "7 1 2 3\n";
  const auto molecules = parse_xyz(text, "t.extxyz", "t.extxyz");
  ASSERT_EQ(molecules.size(), 2u);
  EXPECT_EQ(molecules[0].atomic_numbers, (std::vector<int64_t>{8, 1}));
  EXPECT_EQ(molecules[0].positions, (std::vector<double>{0, 0, 0, 0, 0, 0.96}));
  EXPECT_EQ(molecules[0].target(Target::mu), 1.5);
  EXPECT_EQ(molecules[1].atomic_numbers, (std::vector<int64_t>{7}));
  EXPECT_EQ(molecules[1].positions, (std::vector<double>{1, 2, 3}));
}

TEST(DataExtendedXyz, PlainXyzWithFreeTextAndSeveralFrames) {
  const std::string text =
      "3\r\n"
      "water, from a textbook (angles in degrees: 104.5)\r\n"
      "O\t0.0\t0.0\t0.1173\r\n"
      "H 0.0 0.7572 -0.4692 extra columns are ignored\r\n"
      "H 0.0 -0.7572 -0.4692\r\n"
      "\n"
      "1\n"
      "\n"
      "Ar 0 0 0\n"
      "\n";
  const auto molecules = parse_xyz(text, "dir/water.xyz", "water.xyz");
  ASSERT_EQ(molecules.size(), 2u);
  EXPECT_EQ(molecules[0].id, "water.xyz#0");
  EXPECT_EQ(molecules[1].id, "water.xyz#1");
  EXPECT_EQ(molecules[0].atomic_numbers, (std::vector<int64_t>{8, 1, 1}));
  EXPECT_EQ(molecules[0].positions[5], -0.4692);
  EXPECT_EQ(molecules[1].atomic_numbers, (std::vector<int64_t>{18}));
  EXPECT_EQ(molecules[1].source_line, 7);
  EXPECT_TRUE(molecules[0].has_target.none());
}

TEST(DataExtendedXyz, AbsentPropertiesAreAbsentUntilRequested) {
  const std::string text =
      "1\nProperties=species:S:1:pos:R:3 gdb=1 U0=-0.5\nH 0 0 0\n"
      "1\nProperties=species:S:1:pos:R:3 gdb=2 mu=0.0\nH 0 0 0\n";
  const Dataset dataset(parse_xyz(text, "part.extxyz", "part.extxyz"));
  EXPECT_TRUE(dataset[0].has(Target::U0));
  EXPECT_FALSE(dataset[1].has(Target::U0));
  dataset.require(Target::U0, {0});
  testing::expect_error_at(testing::data_error([&] {
                             dataset.require(Target::U0, {0, 1});
                           }),
                           "part.extxyz", 4, "missing property: molecule 2 (frame 1) has no 'U0'");
}

}  // namespace
}  // namespace e3::data
