#pragma once
// Pairs of atoms of one molecule: the one same-molecule pair search of the data layer
// (batch edges, neighbour counts, the closest pair) and the check that rejects molecules
// whose atoms (nearly) coincide.
//
// nn::radius_graph (include/e3/nn/graph.h) does the same search on tensors of point clouds;
// it stays separate because nn must not depend on data (nn knows nothing of molecules) nor
// data on nn. Both compare squared distances in float64, strictly below the squared cutoff,
// so they find the same pairs.

#include <cstdint>
#include <limits>
#include <string>

#include "e3/data/molecule.h"

namespace e3::data {

/// Calls visit(dst, src, dx, dy, dz) for every ordered pair of distinct atoms (0-based
/// indices) of `molecule` strictly closer than `cutoff` Angstrom (+infinity: every pair), in
/// order of dst, then src; (dx, dy, dz) = r_src - r_dst. Distances are compared squared, in
/// float64 (d^2 < cutoff^2).
template <typename Visit>
void for_each_atom_pair(const Molecule& molecule, double cutoff, Visit&& visit) {
  const double* r = molecule.positions.data();
  const int64_t n = molecule.num_atoms();
  const double cutoff_squared = cutoff * cutoff;
  for (int64_t dst = 0; dst < n; ++dst) {
    for (int64_t src = 0; src < n; ++src) {
      if (src == dst) continue;
      const double dx = r[3 * src] - r[3 * dst], dy = r[3 * src + 1] - r[3 * dst + 1],
                   dz = r[3 * src + 2] - r[3 * dst + 2];
      if (dx * dx + dy * dy + dz * dz < cutoff_squared) visit(dst, src, dx, dy, dz);
    }
  }
}

/// Two atoms of a molecule (0-based, first < second) and their distance in Angstrom.
struct AtomPair {
  int64_t first = -1;
  int64_t second = -1;
  double distance = std::numeric_limits<double>::infinity();
};

/// The closest pair of atoms of `molecule`; {-1, -1, +infinity} with fewer than two atoms.
AtomPair closest_atoms(const Molecule& molecule);

/// The shortest distance training data may have between two atoms, Angstrom. The shortest
/// bond there is, H-H in H2, is 0.74 A; the shortest distance in QM9 (the 100k
/// reconstruction) is 0.959 A (O-H, molecule 77935). Half an Angstrom rejects coincident
/// atoms and overlapping duplicates (a typo, an atom written twice) with a wide margin below
/// any real molecule.
constexpr double kMinAtomDistance = 0.5;

/// "atoms 1 (C) and 2 (H) are 0.3 A apart": the pair numbered from 1, in file order, with
/// their elements and distance.
std::string describe_atom_pair(const Molecule& molecule, const AtomPair& pair);

/// True when two atoms of `molecule` are closer than `min_distance` Angstrom: the one test
/// that training data must pass (check_atom_distances) and that prediction flags
/// (train/training_domain.h).
bool has_coincident_atoms(const Molecule& molecule, double min_distance = kMinAtomDistance);

/// Throws DataError(molecule.source_file, molecule.source_line, ...) naming the molecule, the
/// two atoms (numbered from 1, in file order) and their distance when two atoms of
/// `molecule` are closer than `min_distance` Angstrom.
void check_atom_distances(const Molecule& molecule, double min_distance = kMinAtomDistance);

}  // namespace e3::data
