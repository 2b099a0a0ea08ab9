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
  return std::to_string(atom + 1) + " (" + element_label(molecule.atomic_numbers[atom]) + ")";
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

std::string describe_atom_pair(const Molecule& molecule, const AtomPair& pair) {
  return "atoms " + atom_text(molecule, pair.first) + " and " + atom_text(molecule, pair.second) + " are " +
         format_distance(pair.distance) + " A apart";
}

bool has_coincident_atoms(const Molecule& molecule, double min_distance) {
  return closest_atoms(molecule).distance < min_distance;
}

void check_atom_distances(const Molecule& molecule, double min_distance) {
  const AtomPair closest = closest_atoms(molecule);
  if (!(closest.distance < min_distance)) return;
  throw DataError(molecule.source_file, molecule.source_line,
                  "molecule " + molecule.id + " (frame " + std::to_string(molecule.frame) + "): " +
                      describe_atom_pair(molecule, closest) + ", closer than " + format_distance(min_distance) +
                      " A (coincident or overlapping atoms)");
}

}  // namespace e3::data
