// structure_from_smiles(): explicit hydrogens, ETKDG + MMFF94 geometries that keep rings flat
// and stereocentres as written, seeded coordinates, several conformers, and bad SMILES.

#include "e3/chem/structure.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <map>

namespace e3::chem {
namespace {

using Vec = std::array<double, 3>;

Vec position(const Structure& s, size_t atom, size_t conformer = 0) {
  const auto& p = s.conformers.at(conformer);
  return {p.at(3 * atom), p.at(3 * atom + 1), p.at(3 * atom + 2)};
}

Vec minus(const Vec& a, const Vec& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
double dot(const Vec& a, const Vec& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec cross(const Vec& a, const Vec& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double norm(const Vec& a) { return std::sqrt(dot(a, a)); }
double distance(const Structure& s, size_t a, size_t b) { return norm(minus(position(s, a), position(s, b))); }

// How many atoms of each atomic number.
std::map<int64_t, int> element_counts(const Structure& s) {
  std::map<int64_t, int> counts;
  for (auto z : s.atomic_numbers) ++counts[z];
  return counts;
}

// The index of the atom nearest to `atom` among those with atomic number `z`.
size_t nearest(const Structure& s, size_t atom, int64_t z) {
  size_t best = s.atomic_numbers.size();
  for (size_t b = 0; b < s.atomic_numbers.size(); ++b) {
    if (b == atom || s.atomic_numbers[b] != z) continue;
    if (best == s.atomic_numbers.size() || distance(s, atom, b) < distance(s, atom, best)) best = b;
  }
  return best;
}

// Embedding options with `conformers` conformers from `seed`.
EmbeddingOptions embedding(int64_t conformers, int64_t seed = 42) {
  EmbeddingOptions options;
  options.conformers = conformers;
  options.seed = seed;
  return options;
}

// Checks the shape every structure has: one conformer of 3 coordinates per atom, all finite.
void expect_well_formed(const Structure& s, size_t conformers = 1) {
  ASSERT_EQ(s.conformers.size(), conformers) << s.smiles;
  for (const auto& c : s.conformers) {
    ASSERT_EQ(c.size(), 3 * s.atomic_numbers.size()) << s.smiles;
    for (double x : c) EXPECT_TRUE(std::isfinite(x)) << s.smiles;
  }
}

// The reason of the StructureError that `smiles` gives; a test failure (and "") otherwise.
std::string structure_error(const std::string& smiles) {
  try {
    structure_from_smiles(smiles, {});
  } catch (const StructureError& error) {
    EXPECT_NE(std::string(error.what()), "") << smiles;
    return error.reason();
  } catch (const std::exception& error) {
    ADD_FAILURE() << smiles << ": expected a StructureError, got: " << error.what();
    return "";
  }
  ADD_FAILURE() << smiles << ": expected a StructureError, nothing was thrown";
  return "";
}

TEST(ChemStructure, WaterGetsItsHydrogens) {
  const auto water = structure_from_smiles("O", {});
  EXPECT_EQ(water.atomic_numbers, (std::vector<int64_t>{8, 1, 1}));
  expect_well_formed(water);
  EXPECT_EQ(water.charge, 0);
  EXPECT_EQ(water.geometry, "ETKDG+MMFF94");
  EXPECT_EQ(water.smiles, "O");
  // MMFF94's O-H is about 0.97 A, the angle about 104 degrees.
  EXPECT_NEAR(distance(water, 0, 1), 0.97, 0.05);
  EXPECT_NEAR(distance(water, 0, 2), 0.97, 0.05);
  const double angle =
      std::acos(dot(minus(position(water, 1), position(water, 0)), minus(position(water, 2), position(water, 0))) /
                (distance(water, 0, 1) * distance(water, 0, 2)));
  EXPECT_NEAR(angle * 180 / M_PI, 104.5, 5.0);
}

TEST(ChemStructure, EthanolHasNineAtomsHeavyAtomsFirst) {
  const auto ethanol = structure_from_smiles("CCO", {});
  expect_well_formed(ethanol);
  ASSERT_EQ(ethanol.atomic_numbers.size(), 9u);
  EXPECT_EQ(element_counts(ethanol), (std::map<int64_t, int>{{1, 6}, {6, 2}, {8, 1}}));
  // RDKit's order: the atoms of the SMILES, then the hydrogens.
  EXPECT_EQ(ethanol.atomic_numbers[0], 6);
  EXPECT_EQ(ethanol.atomic_numbers[1], 6);
  EXPECT_EQ(ethanol.atomic_numbers[2], 8);
  for (size_t a = 3; a < 9; ++a) EXPECT_EQ(ethanol.atomic_numbers[a], 1) << a;
  EXPECT_EQ(ethanol.smiles, "CCO");
  EXPECT_EQ(ethanol.geometry, "ETKDG+MMFF94");
}

// Force-field bond lengths: C-H 1.09 A, C-C 1.52 A, C-O 1.42 A, within 0.05 A.
TEST(ChemStructure, BondLengthsAreThoseOfAForceField) {
  const auto ethanol = structure_from_smiles("CCO", {});
  expect_well_formed(ethanol);
  EXPECT_NEAR(distance(ethanol, 0, 1), 1.52, 0.05);
  EXPECT_NEAR(distance(ethanol, 1, 2), 1.42, 0.05);
  for (size_t a = 0; a < ethanol.atomic_numbers.size(); ++a) {
    if (ethanol.atomic_numbers[a] != 1) continue;
    const size_t carbon = nearest(ethanol, a, 6), oxygen = nearest(ethanol, a, 8);
    if (distance(ethanol, a, carbon) < distance(ethanol, a, oxygen)) {
      EXPECT_NEAR(distance(ethanol, a, carbon), 1.09, 0.05) << "C-H of hydrogen " << a;
    } else {
      EXPECT_NEAR(distance(ethanol, a, oxygen), 0.97, 0.05) << "O-H of hydrogen " << a;
    }
  }
  // No two atoms closer than a bond.
  for (size_t a = 0; a < ethanol.atomic_numbers.size(); ++a) {
    for (size_t b = a + 1; b < ethanol.atomic_numbers.size(); ++b)
      EXPECT_GT(distance(ethanol, a, b), 0.9) << a << ' ' << b;
  }
}

// An aromatic ring stays flat: the six carbons (and their hydrogens) lie in one plane.
TEST(ChemStructure, BenzeneIsPlanar) {
  const auto benzene = structure_from_smiles("c1ccccc1", {});
  expect_well_formed(benzene);
  ASSERT_EQ(benzene.atomic_numbers.size(), 12u);
  EXPECT_EQ(element_counts(benzene), (std::map<int64_t, int>{{1, 6}, {6, 6}}));
  EXPECT_EQ(benzene.smiles, "c1ccccc1");
  Vec centre{0, 0, 0};
  for (size_t a = 0; a < 6; ++a) {
    ASSERT_EQ(benzene.atomic_numbers[a], 6);
    for (int k = 0; k < 3; ++k) centre[k] += position(benzene, a)[k] / 6;
  }
  // Atoms 0 and 2 of the ring are 120 degrees apart seen from its centre.
  Vec normal = cross(minus(position(benzene, 0), centre), minus(position(benzene, 2), centre));
  const double length = norm(normal);
  ASSERT_GT(length, 0.5);
  for (double& x : normal) x /= length;
  for (size_t a = 0; a < 12; ++a) {
    EXPECT_LT(std::abs(dot(minus(position(benzene, a), centre), normal)), a < 6 ? 0.05 : 0.1) << "atom " << a;
  }
  for (size_t a = 0; a < 6; ++a) EXPECT_NEAR(distance(benzene, a, (a + 1) % 6), 1.39, 0.05) << a;
}

TEST(ChemStructure, ChargedSpeciesKeepTheirCharge) {
  const auto acetate = structure_from_smiles("CC(=O)[O-]", {});
  expect_well_formed(acetate);
  EXPECT_EQ(acetate.charge, -1);
  ASSERT_EQ(acetate.atomic_numbers.size(), 7u);
  EXPECT_EQ(element_counts(acetate), (std::map<int64_t, int>{{1, 3}, {6, 2}, {8, 2}}));
  EXPECT_FALSE(acetate.geometry.empty());
  const auto methylammonium = structure_from_smiles("C[NH3+]", {});
  expect_well_formed(methylammonium);
  EXPECT_EQ(methylammonium.charge, 1);
  EXPECT_EQ(element_counts(methylammonium), (std::map<int64_t, int>{{1, 6}, {6, 1}, {7, 1}}));
  EXPECT_EQ(structure_from_smiles("CCO", {}).charge, 0);
}

// The signed volume of the stereocentre's neighbours (C, N, O around atom 1) has the sign that
// the SMILES' @ or @@ asks for: the two enantiomers have opposite signs.
TEST(ChemStructure, StereocentresKeepTheirChirality) {
  const auto left = structure_from_smiles("C[C@H](N)O", {});
  const auto right = structure_from_smiles("C[C@@H](N)O", {});
  expect_well_formed(left);
  expect_well_formed(right);
  ASSERT_EQ(left.atomic_numbers, right.atomic_numbers);
  ASSERT_EQ(left.atomic_numbers.size(), 11u);  // C2 N O H7
  ASSERT_EQ(left.atomic_numbers[0], 6);
  ASSERT_EQ(left.atomic_numbers[1], 6);
  ASSERT_EQ(left.atomic_numbers[2], 7);
  ASSERT_EQ(left.atomic_numbers[3], 8);
  EXPECT_NE(left.smiles, right.smiles);
  const auto signed_volume = [](const Structure& s, size_t conformer) {
    const Vec centre = position(s, 1, conformer);
    return dot(minus(position(s, 0, conformer), centre),
               cross(minus(position(s, 2, conformer), centre), minus(position(s, 3, conformer), centre)));
  };
  const double a = signed_volume(left, 0), b = signed_volume(right, 0);
  EXPECT_GT(std::abs(a), 0.1);
  EXPECT_GT(std::abs(b), 0.1);
  EXPECT_LT(a * b, 0) << "both enantiomers embedded with the same handedness: " << a << ", " << b;
  // Every conformer and every seed keeps it.
  for (int64_t seed : {1, 2, 3}) {
    const auto more = structure_from_smiles("C[C@H](N)O", embedding(3, seed));
    expect_well_formed(more, 3);
    for (size_t c = 0; c < 3; ++c) EXPECT_GT(signed_volume(more, c) * a, 0) << "seed " << seed << " conformer " << c;
  }
}

TEST(ChemStructure, TheSameSeedGivesTheSameCoordinates) {
  EmbeddingOptions options;
  options.seed = 7;
  const auto a = structure_from_smiles("CCCCO", options);
  const auto b = structure_from_smiles("CCCCO", options);
  expect_well_formed(a);
  EXPECT_EQ(a.atomic_numbers, b.atomic_numbers);
  EXPECT_EQ(a.conformers, b.conformers) << "bit for bit";
  options.seed = 8;
  const auto c = structure_from_smiles("CCCCO", options);
  EXPECT_EQ(a.atomic_numbers, c.atomic_numbers);
  EXPECT_NE(a.conformers, c.conformers);
  // The default seed is 42.
  EXPECT_EQ(structure_from_smiles("CCCCO", {}).conformers, structure_from_smiles("CCCCO", embedding(1, 42)).conformers);
}

TEST(ChemStructure, SeveralConformers) {
  EmbeddingOptions options;
  options.conformers = 3;
  const auto butanol = structure_from_smiles("CCCCO", options);
  expect_well_formed(butanol, 3);
  EXPECT_EQ(butanol.atomic_numbers.size(), 15u);
  EXPECT_EQ(butanol.geometry, "ETKDG+MMFF94");
  // Each is a molecule: its C-C bonds are bonds.
  for (size_t c = 0; c < 3; ++c) {
    const Vec a = position(butanol, 0, c), b = position(butanol, 1, c);
    EXPECT_NEAR(norm(minus(a, b)), 1.52, 0.05) << "conformer " << c;
  }
  // Reproducible too.
  EXPECT_EQ(butanol.conformers, structure_from_smiles("CCCCO", options).conformers);
}

TEST(ChemStructure, BadSmilesIsAStructureError) {
  EXPECT_EQ(structure_error("C1CC"), "bad_smiles");            // an unclosed ring
  EXPECT_EQ(structure_error("not a smiles"), "bad_smiles");    // not SMILES at all
  EXPECT_EQ(structure_error("C(C)(C)(C)(C)C"), "bad_smiles");  // a carbon with five bonds
  EXPECT_EQ(structure_error("c1cccc1"), "bad_smiles");         // an aromatic ring RDKit cannot kekulize
  EXPECT_EQ(structure_error("CCO junk"), "bad_smiles");        // the whole string is the SMILES, no name
}

// QM9's strained cages: ETKDG embeds none of these; plain distance geometry that accepts a failed
// triangle smoothing embeds the first (QM9 molecule 2212) and says so, the second (molecule 699)
// stays an embedding failure, reported as such.
TEST(ChemStructure, StrainedCagesFallBackToPlainDistanceGeometryOrFailClearly) {
  const Structure cage = structure_from_smiles("CC12CCC1CO2", embedding(1));
  EXPECT_EQ(cage.geometry, "DG+MMFF94");
  expect_well_formed(cage);
  EXPECT_EQ(structure_error("N1C2C3OC2C13"), "embedding_failed");
}

// MMFF94 has no parameters for boron: trimethylborane is optimized with UFF, and says so.
TEST(ChemStructure, UffWhereMmffLacksParameters) {
  const Structure borane = structure_from_smiles("B(C)(C)C", embedding(1));
  EXPECT_EQ(borane.geometry, "ETKDG+UFF");
  expect_well_formed(borane);
  EXPECT_EQ(borane.atomic_numbers.size(), 13u);
}

// Each conformer comes with its force-field energy.
TEST(ChemStructure, ConformersCarryTheirForceFieldEnergies) {
  const Structure butanol = structure_from_smiles("CCCCO", embedding(4));
  ASSERT_EQ(butanol.energies.size(), butanol.conformers.size());
  for (double energy : butanol.energies) EXPECT_TRUE(std::isfinite(energy));
}

// The times embedding_times() sums count each structure and conformer.
TEST(ChemStructure, EmbeddingTimesCountStructuresAndConformers) {
  const EmbeddingTimes before = embedding_times();
  structure_from_smiles("CC", embedding(2));
  const EmbeddingTimes after = embedding_times();
  EXPECT_EQ(after.structures - before.structures, 1);
  EXPECT_EQ(after.conformers - before.conformers, 2);
  EXPECT_GE(after.parse_seconds, before.parse_seconds);
  EXPECT_GT(after.embed_seconds + after.optimize_seconds, before.embed_seconds + before.optimize_seconds);
}

}  // namespace
}  // namespace e3::chem
