#pragma once
// PredictionTable: what e3cpp predict prints — one row per molecule (or per structure, its
// conformers averaged), as a tab-separated table or as one JSON object, written as the rows come
// so that memory does not grow with the input. A process of `predict --nproc` writes its rows
// as shard lines instead ("FILE_INDEX<TAB>RECORD<TAB>ROW": a table row or a JSON entry, no
// header), which the parent merges into one table in input order (write_shard_row).

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "e3/data/targets.h"

namespace e3::cli {

struct PredictionColumns {
  std::vector<data::Target> targets;
  /// Per target: whether it is learnt with the dipole readout (its vector gets columns).
  std::vector<bool> dipole;
  /// A geometry column: how the coordinates were made (SMILES/SDF input).
  bool geometry = false;
  /// Conformers averaged: a standard deviation per target and a conformers column, no vectors
  /// (the conformers' frames differ).
  bool conformer_spread = false;
  /// An ensemble's prediction: the members' standard deviation per target.
  bool ensemble_spread = false;

  /// Whether each target has a standard deviation column (<target>_std; JSON std).
  bool spread() const { return conformer_spread || ensemble_spread; }
};

struct PredictionRow {
  std::string file, molecule;
  /// Per target, thesis units; none when the record gave no molecule (a bad SMILES).
  std::optional<std::vector<double>> values;
  /// Per target, the standard deviation over the conformers or the ensemble's members.
  std::vector<double> spread;
  /// Per target with the dipole readout, in target order (not with conformer_spread).
  std::vector<std::array<double, 3>> vectors;
  int64_t conformers = 1;
  /// "file" when the input gave the coordinates.
  std::string geometry;
  std::vector<std::string> flags;
  /// Which FILE argument the row comes from (from 0) and its record there (Molecule::record):
  /// the order shard lines are merged in.
  int64_t file_index = 0;
  int64_t record = 0;
};

/// How a PredictionTable writes.
enum class TableFormat {
  text,         ///< tab-separated, with a header line
  json,         ///< one JSON object
  text_shards,  ///< shard lines of text rows
  json_shards,  ///< shard lines of JSON entries
};

class PredictionTable {
 public:
  /// Writes the header (text) or the object's opening (JSON) to `out`.
  PredictionTable(PredictionColumns columns, TableFormat format, std::ostream& out);
  void write(const PredictionRow& row);
  /// Writes ROW of a shard line that a table of the shard format (text_shards for text,
  /// json_shards for JSON) wrote.
  void write_shard_row(const std::string& row);
  /// Closes the JSON object; flushes.
  void finish();

 private:
  std::string text_row(const PredictionRow& row) const;
  std::string json_entry(const PredictionRow& row) const;

  PredictionColumns columns_;
  TableFormat format_;
  std::ostream& out_;
  bool first_ = true;
};

}  // namespace e3::cli
