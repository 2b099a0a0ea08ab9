#pragma once
// Molecule formats that e3_data reads through a reader registered at run time: e3::chem
// registers SMILES, CSV and SDF (chem/formats.h), so that e3_data, and everything built on it,
// does not depend on RDKit. read_molecules(), MoleculeStream and Dataset::read() pick a
// registered format by the file's name before reading it as XYZ.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "e3/data/molecule.h"
#include "e3/data/read_options.h"

namespace e3::data {

/// A record of a file that gave no molecule: a SMILES that does not parse, a structure that
/// cannot be embedded in 3D. Its neighbours are read on.
struct SkippedMolecule {
  std::string source_file;
  int64_t source_line = 0;
  /// The id the molecule would have had.
  std::string id;
  /// One word for tables and JSON: "bad_smiles", "bad_structure", "embedding_failed" or
  /// "optimization_failed".
  std::string reason;
  /// What went wrong, for a user.
  std::string detail;
  /// How many molecules the reading gave before this record (to keep outputs in file order).
  int64_t before = 0;
  /// The record's index in its file (Molecule::record).
  int64_t record = 0;
};

/// The molecules of one file of a registered format, one at a time.
class MoleculeReader {
 public:
  virtual ~MoleculeReader() = default;
  /// The next molecule; none after the last. A record that gives no molecule is appended to
  /// `skipped` (its `before` left for the caller to set) and the reading goes on. DataError
  /// ("FILE:LINE: problem") for a file that cannot be read at all (a missing CSV column).
  virtual std::optional<Molecule> next(std::vector<SkippedMolecule>& skipped) = 0;
};

struct MoleculeFormat {
  /// The format's name in messages: "SMILES", "SDF".
  std::string name;
  /// File name endings of the format (".smi"); each also with ".gz" after it.
  std::vector<std::string> suffixes;
  /// Opens `path` for reading with `options`; DataError naming the file when it cannot.
  std::function<std::unique_ptr<MoleculeReader>(const std::string& path, const ReadOptions& options)> open;
};

/// Registers `format` (replacing a format of the same name).
void register_molecule_format(MoleculeFormat format);

/// The registered format whose ending `path` has (".gz" after it allowed); nullptr when none.
/// DataError naming `path` when its ending belongs to a format that needs registering
/// (.smi, .smiles, .csv, .sdf, .sd, .mol) and none is registered.
const MoleculeFormat* find_molecule_format(const std::string& path);

}  // namespace e3::data
