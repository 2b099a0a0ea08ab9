#include "e3/data/targets.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace e3::data {
namespace {

TEST(DataTargets, FollowTable21) {
  const char* names[] = {"mu", "alpha", "homo", "lumo", "gap", "r2", "zpve", "U0", "U", "H", "G", "Cv"};
  ASSERT_EQ(all_targets().size(), kNumTargets);
  for (size_t i = 0; i < kNumTargets; ++i) {
    EXPECT_EQ(target_index(all_targets()[i]), i);
    EXPECT_STREQ(target_name(all_targets()[i]), names[i]);
    EXPECT_EQ(parse_target(names[i]), all_targets()[i]);
  }
}

TEST(DataTargets, UnknownNameListsTheValidOnes) {
  try {
    parse_target("u0");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(),
                 "unknown target 'u0' (valid targets: mu, alpha, homo, lumo, gap, r2, zpve, U0, U, H, G, Cv)");
  }
  EXPECT_FALSE(find_target("smiles").has_value());
}

TEST(DataTargets, ThesisUnitsAndFileUnits) {
  EXPECT_STREQ(thesis_unit(Target::mu), "D");
  EXPECT_STREQ(thesis_unit(Target::alpha), "a0^3");
  EXPECT_STREQ(thesis_unit(Target::r2), "a0^2");
  EXPECT_STREQ(thesis_unit(Target::Cv), "cal/(mol K)");
  EXPECT_STREQ(file_unit(Target::mu), "Debye");
  EXPECT_STREQ(file_unit(Target::alpha), "bohr^3");
  EXPECT_STREQ(file_unit(Target::r2), "bohr^2");
  for (Target energy :
       {Target::homo, Target::lumo, Target::gap, Target::zpve, Target::U0, Target::U, Target::H, Target::G}) {
    EXPECT_STREQ(thesis_unit(energy), "eV") << target_name(energy);
    EXPECT_STREQ(file_unit(energy), "Hartree") << target_name(energy);
  }
}

TEST(DataTargets, ConversionFactors) {
  // CODATA 2018: 1 Hartree = 27.211386245988 eV.
  EXPECT_EQ(kHartreeInEv, 27.211386245988);
  for (Target target : all_targets()) {
    const bool hartree = std::string(file_unit(target)) == "Hartree";
    EXPECT_EQ(file_to_thesis_factor(target), hartree ? 27.211386245988 : 1.0) << target_name(target);
  }
  // Molecule 1 (methane): U0 = -40.47893 Hartree = -1101.487799 eV.
  EXPECT_NEAR(-40.47893 * file_to_thesis_factor(Target::U0), -1101.4877990543, 1e-9);
}

}  // namespace
}  // namespace e3::data
