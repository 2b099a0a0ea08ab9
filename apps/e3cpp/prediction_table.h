#pragma once
// PredictionTable: what e3cpp predict prints — one row per molecule (or per structure, its
// conformers averaged), as a tab-separated table or as one JSON object, written as the rows come
// so that memory does not grow with the input.

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
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
};

struct PredictionRow {
  std::string file, molecule;
  /// Per target, thesis units; none when the record gave no molecule (a bad SMILES).
  std::optional<std::vector<double>> values;
  /// Per target, over the conformers (conformer_spread).
  std::vector<double> spread;
  /// Per target with the dipole readout, in target order (not with conformer_spread).
  std::vector<std::array<double, 3>> vectors;
  int64_t conformers = 1;
  /// "file" when the input gave the coordinates.
  std::string geometry;
  std::vector<std::string> flags;
};

class PredictionTable {
 public:
  /// Writes the header (text) or the object's opening (JSON) to `out`.
  PredictionTable(PredictionColumns columns, bool json, std::ostream& out);
  void write(const PredictionRow& row);
  /// Closes the JSON object; flushes.
  void finish();

 private:
  void write_text(const PredictionRow& row);
  void write_json(const PredictionRow& row);

  PredictionColumns columns_;
  bool json_;
  std::ostream& out_;
  bool first_ = true;
};

}  // namespace e3::cli
