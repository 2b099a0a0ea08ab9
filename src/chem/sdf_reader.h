#pragma once
// SDF and MOL files (internal to e3::chem; formats.h describes them): records read line by line
// as zlib decompresses them, each parsed by RDKit, embedded when it has no 3D coordinates.

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "e3/data/line_reader.h"
#include "e3/data/molecule_formats.h"
#include "e3/data/text_file.h"

namespace e3::chem {

class SdfReader : public data::MoleculeReader {
 public:
  SdfReader(const std::string& path, const data::ReadOptions& options);
  std::optional<data::Molecule> next(std::vector<data::SkippedMolecule>& skipped) override;

 private:
  // The lines of the next record (without its "$$$$"); empty at the end of the file.
  std::vector<std::string> next_record_lines();

  std::string path_;
  data::ReadOptions options_;
  std::unique_ptr<data::TextStream> stream_;
  std::unique_ptr<data::LineReader> reader_;
  int64_t records_ = 0;
  int64_t record_line_ = 0;  // the first line of the record being read
  std::deque<data::Molecule> pending_;
};

}  // namespace e3::chem
