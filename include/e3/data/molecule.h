#pragma once
// Molecule: one frame of a data file — atoms, positions and the QM9 targets it carries —
// with where it came from, so that any later problem can name the file and line.

#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "e3/data/targets.h"

namespace e3::data {

struct Molecule {
  /// Unique within a dataset: the QM9 index (the `gdb=` key of extended XYZ, the `gdb N` line
  /// of the original files) when the file gives one, else "<file name>#<frame>".
  std::string id;
  /// Atomic number of each atom, in file order.
  std::vector<int64_t> atomic_numbers;
  /// Positions in Angstrom, atom-major: x0, y0, z0, x1, ... (3 per atom).
  std::vector<double> positions;
  /// Target values in the thesis' units (Table 2.1), indexed by target_index(); meaningful
  /// only where has_target is set.
  std::array<double, kNumTargets> targets{};
  /// Which targets the file gives for this molecule.
  std::bitset<kNumTargets> has_target;
  /// The file the molecule was read from; "ARCHIVE(ENTRY)" for an archive member.
  std::string source_file;
  /// Line of the frame's first line (the atom count) in source_file, from 1.
  int64_t source_line = 0;
  /// Index of the frame within source_file, from 0.
  int64_t frame = 0;
  /// Index of the record that gave the molecule within the file, directory or archive being
  /// read (from 0; the conformers of a structure share it): what ReadOptions' shards divide.
  int64_t record = 0;
  /// The structure's SMILES when the file gives one (extended XYZ's smiles=, a SMILES line or
  /// CSV column, an SDF read by RDKit); empty otherwise.
  std::string smiles;
  /// Total formal charge where the format has one (SMILES, SDF); XYZ files read as 0.
  int64_t charge = 0;
  /// How the coordinates were made: empty when the file gives them, else the embedding and the
  /// force field that optimized it ("ETKDG+MMFF94", "ETKDG+UFF"; e3::chem).
  std::string geometry;
  /// Which of the conformers embedded for one structure this is (from 0); -1 when the file
  /// gives the geometry. The conformers of a structure share source_file and source_line.
  int64_t conformer = -1;

  int64_t num_atoms() const { return static_cast<int64_t>(atomic_numbers.size()); }
  bool has(Target target) const { return has_target.test(target_index(target)); }
  /// The value of `target`; a DataError naming source_file, source_line and the molecule
  /// when the file did not give it.
  double target(Target target) const;
  /// Sets a target value (thesis units) and marks it present.
  void set_target(Target target, double value);
};

}  // namespace e3::data
