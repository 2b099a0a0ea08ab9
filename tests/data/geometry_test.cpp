// Pairs of atoms of a molecule: the pair search, the closest pair, the coincident-atom check.

#include "e3/data/geometry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <vector>

#include "data_test_files.h"
#include "e3/data/dataset.h"
#include "e3/data/error.h"
#include "e3/data/read.h"

namespace e3::data {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

Molecule molecule_at(std::vector<int64_t> atomic_numbers, std::vector<double> positions) {
  Molecule molecule;
  molecule.id = "m";
  molecule.atomic_numbers = std::move(atomic_numbers);
  molecule.positions = std::move(positions);
  return molecule;
}

// Water: O at the origin, the hydrogens at (+-0.757, 0.586, 0): O-H 0.9573 A, H-H 1.514 A.
Molecule water() { return molecule_at({8, 1, 1}, {0, 0, 0, 0.757, 0.586, 0, -0.757, 0.586, 0}); }

TEST(DataGeometry, PairsAreOrderedByDstThenSrcWithVectorsFromDstToSrc) {
  std::vector<std::tuple<int64_t, int64_t, double, double, double>> pairs;
  for_each_atom_pair(water(), 1.0, [&](int64_t dst, int64_t src, double dx, double dy, double dz) {
    pairs.emplace_back(dst, src, dx, dy, dz);
  });
  // Within 1 A: the two O-H pairs, each in both directions; H-H (1.514 A) is not.
  const std::vector<std::tuple<int64_t, int64_t, double, double, double>> expected = {
      {0, 1, 0.757, 0.586, 0.0}, {0, 2, -0.757, 0.586, 0.0}, {1, 0, -0.757, -0.586, 0.0}, {2, 0, 0.757, -0.586, 0.0}};
  EXPECT_EQ(pairs, expected);

  int64_t every = 0;
  for_each_atom_pair(water(), kInfinity, [&](int64_t, int64_t, double, double, double) { ++every; });
  EXPECT_EQ(every, 6);
}

TEST(DataGeometry, CutoffIsStrict) {
  const Molecule pair = molecule_at({1, 1}, {0, 0, 0, 0, 0, 2.0});
  int64_t at_cutoff = 0, above = 0;
  for_each_atom_pair(pair, 2.0, [&](int64_t, int64_t, double, double, double) { ++at_cutoff; });
  for_each_atom_pair(pair, std::nextafter(2.0, 3.0), [&](int64_t, int64_t, double, double, double) { ++above; });
  EXPECT_EQ(at_cutoff, 0);
  EXPECT_EQ(above, 2);
}

TEST(DataGeometry, ClosestAtoms) {
  const AtomPair closest = closest_atoms(water());
  EXPECT_EQ(closest.first, 0);  // O-H1 and O-H2 tie; the first in file order is kept
  EXPECT_EQ(closest.second, 1);
  EXPECT_DOUBLE_EQ(closest.distance, std::hypot(0.757, 0.586));

  const AtomPair in_ch = closest_atoms(molecule_at({6, 1, 1}, {0, 0, 0, 3, 0, 0, 3, 0, 1.5}));
  EXPECT_EQ(in_ch.first, 1);
  EXPECT_EQ(in_ch.second, 2);
  EXPECT_DOUBLE_EQ(in_ch.distance, 1.5);

  const AtomPair single = closest_atoms(molecule_at({6}, {1, 2, 3}));
  EXPECT_EQ(single.first, -1);
  EXPECT_EQ(single.second, -1);
  EXPECT_EQ(single.distance, kInfinity);
}

TEST(DataGeometry, CoincidentAtomsAreAnErrorNamingFileLineAndAtoms) {
  testing::TempDir dir;
  const std::string path = dir.file("coincident.xyz");
  testing::write_text(path, "1\nfine\nH 0 0 0\n3\ntwo carbons at the origin\nC 0 0 0\nH 0 0 1.09\nC 0 0 0\n");
  const auto molecules = read_molecules(path);
  ASSERT_EQ(molecules.size(), 2u);
  EXPECT_NO_THROW(check_atom_distances(molecules[0]));
  testing::expect_error_at(testing::data_error([&] { check_atom_distances(molecules[1]); }), path, 4,
                           "molecule coincident.xyz#1 (frame 1): atoms 1 (C) and 3 (C) are 0 A apart, closer than "
                           "0.5 A (coincident or overlapping atoms)");
}

TEST(DataGeometry, ThresholdIsHalfAnAngstromExclusive) {
  EXPECT_EQ(kMinAtomDistance, 0.5);
  EXPECT_NO_THROW(check_atom_distances(molecule_at({1, 1}, {0, 0, 0, 0.5, 0, 0})));
  const std::string message =
      testing::data_error([] { check_atom_distances(molecule_at({1, 1}, {0, 0, 0, 0.49, 0, 0})); });
  EXPECT_NE(message.find("are 0.49 A apart"), std::string::npos) << message;
  // Another threshold: H2's bond (0.74 A) is rejected below 0.8 A.
  EXPECT_THROW(check_atom_distances(molecule_at({1, 1}, {0, 0, 0, 0.74, 0, 0}), 0.8), DataError);
  // The test prediction flags with (has_coincident_atoms) draws the same line.
  EXPECT_FALSE(has_coincident_atoms(molecule_at({1, 1}, {0, 0, 0, 0.5, 0, 0})));
  EXPECT_TRUE(has_coincident_atoms(molecule_at({1, 1}, {0, 0, 0, 0.49, 0, 0})));
  EXPECT_TRUE(has_coincident_atoms(molecule_at({1, 1}, {0, 0, 0, 0.74, 0, 0}), 0.8));
  EXPECT_FALSE(has_coincident_atoms(molecule_at({6}, {0, 0, 0})));
}

TEST(DataGeometry, AtomPairIsDescribedFromOneInFileOrder) {
  const auto molecule = molecule_at({8, 1, 1}, {0, 0, 0, 0.757, 0.586, 0, 0.757, 0.586, 0.25});
  EXPECT_EQ(describe_atom_pair(molecule, closest_atoms(molecule)), "atoms 2 (H) and 3 (H) are 0.25 A apart");
}

// The threshold leaves every molecule of the embedded QM9 sample (shortest distance ~0.96 A,
// O-H) with a wide margin.
TEST(DataGeometry, QM9SampleHasNoAtomsCloserThanTheThreshold) {
  const Dataset dataset = Dataset::read(testing::sample_file());
  double shortest = kInfinity;
  for (const Molecule& molecule : dataset.molecules()) {
    EXPECT_NO_THROW(check_atom_distances(molecule)) << molecule.id;
    shortest = std::min(shortest, closest_atoms(molecule).distance);
  }
  EXPECT_GT(shortest, 0.9);
  EXPECT_LT(shortest, 1.1);
}

}  // namespace
}  // namespace e3::data
