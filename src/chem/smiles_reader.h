#pragma once
// SMILES files and CSV tables with a SMILES column (internal to e3::chem; formats.h describes
// both): read line by line as zlib decompresses them, the structures embedded as they are read,
// 64 records at a time over ReadOptions::threads threads.

#include <deque>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "e3/data/molecule_formats.h"
#include "e3/data/line_reader.h"
#include "e3/data/text_file.h"

namespace e3::chem {

class SmilesReader : public data::MoleculeReader {
 public:
  enum class Layout { smiles_lines, csv };
  SmilesReader(const std::string& path, const data::ReadOptions& options, Layout layout);
  std::optional<data::Molecule> next(std::vector<data::SkippedMolecule>& skipped) override;

 private:
  // Reads the CSV header (the first non-blank line) and finds the columns.
  void read_header();
  // The next record as a molecule without atoms (id, source, SMILES, targets); none at the end.
  std::optional<data::Molecule> next_record();
  // Embeds `records` and queues their molecules, or why there are none, in file order.
  void embed(const std::vector<data::Molecule>& records);

  std::string path_;
  data::ReadOptions options_;
  Layout layout_;
  std::unique_ptr<data::TextStream> stream_;
  std::unique_ptr<data::LineReader> reader_;
  int64_t records_ = 0;
  bool header_checked_ = false;
  // CSV: the columns' positions; -1 for none.
  size_t columns_ = 0;
  int64_t smiles_column_ = -1, name_column_ = -1;
  std::vector<std::pair<data::Target, size_t>> target_columns_;
  // Molecules (conformers) and skipped records not given yet, in file order.
  std::deque<std::variant<data::Molecule, data::SkippedMolecule>> pending_;
};

}  // namespace e3::chem
