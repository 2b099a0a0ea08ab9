#pragma once
// ReadOptions: how the readers of the formats chemists keep their molecules in (SMILES lines,
// CSV tables, SDF files; implemented by e3::chem) turn a record into molecules — which CSV
// column holds the SMILES, which column or SDF property gives a target, how many 3D conformers
// a structure without coordinates gets and from which seed. XYZ and QM9 files ignore them.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "e3/data/targets.h"

namespace e3::data {

struct ReadOptions {
  /// The CSV column (by its header) that holds the SMILES.
  std::string smiles_column = "smiles";
  /// Targets read from a CSV column or SDF property named otherwise than the target
  /// (target_name()); every other target is read from the column or property of its own name.
  /// Values are in the units of QM9's files, as in extended XYZ (Hartree for energies).
  std::vector<std::pair<Target, std::string>> target_columns;
  /// 3D conformers embedded for each structure without coordinates; each is a molecule of its
  /// own (Molecule::conformer tells them apart).
  int64_t conformers = 1;
  /// Seed of the embedding (RDKit's ETKDG): the same seed gives the same coordinates.
  int64_t embedding_seed = 42;
  /// How embedded conformers are optimized: "force_field" (MMFF94, or UFF) or "xtb" (the force
  /// field, then GFN2-xTB through the xtb program).
  std::string optimize = "force_field";
  /// Threads that embed SMILES in parallel (a structure does not depend on their number).
  int64_t threads = 1;
  /// One shard of the input, for screening it in parallel: only the records r (counted from 0
  /// over each file, directory or archive read, records that give no molecule included) with
  /// r mod shard_count == shard_index are read — a SMILES or SDF record of another shard is not
  /// even embedded. Every format; the default reads everything.
  int64_t shard_index = 0;
  int64_t shard_count = 1;

  /// The column or SDF property that gives `target`.
  std::string column_of(Target target) const;
  /// Whether record `record` (from 0) of a file is in the shard read.
  bool in_shard(int64_t record) const { return record % shard_count == shard_index; }
  /// std::invalid_argument naming the problem when conformers < 1, the seed is outside
  /// [0, 2^31 - 1] (RDKit takes an int), optimize is neither "force_field" nor "xtb", or the
  /// shard is not 0 <= shard_index < shard_count.
  void validate() const;
};

/// Parses "mu=dipole,U0=u0" (TARGET=COLUMN, comma-separated; "" gives none) into
/// ReadOptions::target_columns; std::invalid_argument naming the bad entry or an unknown target.
std::vector<std::pair<Target, std::string>> parse_target_columns(const std::string& text);

/// The text parse_target_columns() reads back.
std::string target_columns_text(const std::vector<std::pair<Target, std::string>>& columns);

}  // namespace e3::data
