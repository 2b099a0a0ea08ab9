#include "e3/data/geometry.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "e3/data/elements.h"
#include "e3/data/error.h"

namespace e3::data {
namespace {

std::string format_distance(double angstrom) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", angstrom);
  return text;
}

// "3 (C)": the atom numbered from 1, as a user counts the atom lines of a frame, and its element.
std::string atom_text(const Molecule& molecule, int64_t atom) {
  const int64_t z = molecule.atomic_numbers[atom];
  const std::string element = z >= 1 && z <= kMaxAtomicNumber ? element_symbol(z) : "Z=" + std::to_string(z);
  return std::to_string(atom + 1) + " (" + element + ")";
}

}  // namespace

AtomPair closest_atoms(const Molecule& molecule) {
  AtomPair closest;
  double closest_squared = std::numeric_limits<double>::infinity();
  for_each_atom_pair(molecule, std::numeric_limits<double>::infinity(),
                     [&](int64_t dst, int64_t src, double dx, double dy, double dz) {
                       const double squared = dx * dx + dy * dy + dz * dz;
                       if (src > dst && squared < closest_squared) {
                         closest_squared = squared;
                         closest.first = dst;
                         closest.second = src;
                       }
                     });
  if (closest.first >= 0) closest.distance = std::sqrt(closest_squared);
  return closest;
}

void check_atom_distances(const Molecule& molecule, double min_distance) {
  const AtomPair closest = closest_atoms(molecule);
  if (!(closest.distance < min_distance)) return;
  throw DataError(molecule.source_file, molecule.source_line,
                  "molecule " + molecule.id + " (frame " + std::to_string(molecule.frame) + "): atoms " +
                      atom_text(molecule, closest.first) + " and " + atom_text(molecule, closest.second) + " are " +
                      format_distance(closest.distance) + " A apart, closer than " + format_distance(min_distance) +
                      " A (coincident or overlapping atoms)");
}

}  // namespace e3::data
