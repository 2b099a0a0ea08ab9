#include "e3/data/atom_refs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace e3::data {
namespace {

// Table 2.3 of the thesis, as printed: Hartree for the energies, cal/(mol K) for Cv.
struct Table23Row {
  int64_t z;
  double zpve, U0, U, H, G, Cv;
};
constexpr Table23Row kTable23[] = {
    {1, 0.000, -0.500, -0.499, -0.498, -0.511, 2.981},     {6, 0.000, -37.847, -37.845, -37.844, -37.861, 2.981},
    {7, 0.000, -54.584, -54.582, -54.582, -54.599, 2.981}, {8, 0.000, -75.065, -75.063, -75.062, -75.080, 2.981},
    {9, 0.000, -99.719, -99.717, -99.716, -99.734, 2.981},
};

TEST(DataAtomRefs, EveryValueRoundsToTable23) {
  for (const auto& row : kTable23) {
    const std::pair<Target, double> columns[] = {{Target::zpve, row.zpve}, {Target::U0, row.U0}, {Target::U, row.U},
                                                 {Target::H, row.H},       {Target::G, row.G},   {Target::Cv, row.Cv}};
    for (const auto& [target, printed] : columns) {
      const double in_file_units = atom_reference(row.z, target) / file_to_thesis_factor(target);
      EXPECT_NEAR(std::round(in_file_units * 1000.0) / 1000.0, printed, 1e-9)
          << "Z=" << row.z << " " << target_name(target) << ": " << in_file_units;
      // Full precision, not the rounded table.
      if (printed != 0.0 && target != Target::Cv) {
        EXPECT_NE(in_file_units, printed);
      }
    }
  }
}

TEST(DataAtomRefs, FullPrecisionInThesisUnits) {
  EXPECT_DOUBLE_EQ(atom_reference(1, Target::U0), -0.500273 * 27.211386245988);
  EXPECT_DOUBLE_EQ(atom_reference(6, Target::G), -37.861317 * 27.211386245988);
  EXPECT_DOUBLE_EQ(atom_reference(9, Target::H), -99.716370 * 27.211386245988);
  EXPECT_EQ(atom_reference(8, Target::Cv), 2.981);
  EXPECT_EQ(atom_reference(7, Target::zpve), 0.0);
}

TEST(DataAtomRefs, ReferenceBiasOfMethane) {
  // (2.58) for CH4: p = ref(C) + 4 ref(H).
  const std::vector<int64_t> methane = {6, 1, 1, 1, 1};
  EXPECT_NEAR(reference_bias(methane, Target::U0), (-37.846772 + 4 * -0.500273) * 27.211386245988, 1e-9);
  EXPECT_NEAR(reference_bias(methane, Target::Cv), 5 * 2.981, 1e-12);
  EXPECT_EQ(reference_bias(methane, Target::zpve), 0.0);
  // QM9's U0 of methane minus p_m is its atomization energy, -0.631066 Hartree.
  EXPECT_NEAR(-40.47893 * kHartreeInEv - reference_bias(methane, Target::U0), -0.631066 * kHartreeInEv, 1e-9);
}

TEST(DataAtomRefs, TargetsWithoutReferencesHaveZeroBias) {
  for (Target target : {Target::mu, Target::alpha, Target::homo, Target::lumo, Target::gap, Target::r2}) {
    EXPECT_FALSE(has_atom_references(target));
    EXPECT_EQ(reference_bias({6, 1, 1, 1, 1, 16}, target), 0.0);
  }
  for (Target target : {Target::zpve, Target::U0, Target::U, Target::H, Target::G, Target::Cv}) {
    EXPECT_TRUE(has_atom_references(target));
  }
}

TEST(DataAtomRefs, ElementsWithoutReferencesAreErrors) {
  EXPECT_THROW(atom_reference(16, Target::U0), std::invalid_argument);
  EXPECT_THROW(reference_bias({6, 17}, Target::H), std::invalid_argument);
}

}  // namespace
}  // namespace e3::data
