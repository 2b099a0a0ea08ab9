// GFN2-xTB optimization through the xtb program (installed by scripts/install-deps.sh): it
// moves the force field's geometry toward the quantum-chemical minimum, deterministically, and a
// failure of xtb is a StructureError, not the end of the program.

#include "e3/chem/xtb.h"

#include <gtest/gtest.h>

#include <cmath>

namespace e3::chem {
namespace {

double distance(const std::vector<double>& p, size_t a, size_t b) {
  return std::sqrt(std::pow(p[3 * a] - p[3 * b], 2) + std::pow(p[3 * a + 1] - p[3 * b + 1], 2) +
                   std::pow(p[3 * a + 2] - p[3 * b + 2], 2));
}

TEST(Xtb, IsInstalledForTheTests) { EXPECT_TRUE(xtb_available()) << "install Debian's xtb (scripts/install-deps.sh)"; }

TEST(Xtb, RefinesTheForceFieldGeometryOfWater) {
  EmbeddingOptions options;
  const Structure force_field = structure_from_smiles("O", options);
  options.xtb = true;
  const Structure refined = structure_from_smiles("O", options);
  EXPECT_EQ(force_field.geometry, "ETKDG+MMFF94");
  EXPECT_EQ(refined.geometry, "ETKDG+MMFF94+GFN2-xTB");
  ASSERT_EQ(refined.atomic_numbers, (std::vector<int64_t>{8, 1, 1}));
  // QM9's B3LYP water has O-H 0.962 A; GFN2-xTB's minimum is within 0.01 A of it.
  const auto& p = refined.conformers.at(0);
  EXPECT_NEAR(distance(p, 0, 1), 0.962, 0.01);
  EXPECT_NEAR(distance(p, 0, 2), 0.962, 0.01);
  EXPECT_NE(p, force_field.conformers.at(0)) << "xtb left the force field's geometry as it was";
  EXPECT_EQ(structure_from_smiles("O", options).conformers, refined.conformers) << "not deterministic";
}

TEST(Xtb, AFailureIsAStructureErrorNamingXtb) {
  // Oganesson is beyond GFN2-xTB's parametrized elements (H to Rn).
  try {
    xtb_optimized({118}, {0.0, 0.0, 0.0}, 0);
    ADD_FAILURE() << "xtb optimized oganesson";
  } catch (const StructureError& error) {
    EXPECT_EQ(error.reason(), "optimization_failed");
    EXPECT_NE(std::string(error.what()).find("xtb"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace e3::chem
