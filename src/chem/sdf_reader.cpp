#include "sdf_reader.h"

#include <chrono>
#include <cmath>
#include <map>

#include <GraphMol/FileParsers/FileParsers.h>

#include "e3/chem/structure.h"
#include "e3/data/error.h"
#include "e3/data/numbers.h"
#include "rdkit_structure.h"
#include "structure_molecules.h"

namespace e3::chem {
namespace {

std::string without_trailing_space(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

// The data fields after "M  END": "> <NAME>" (anything may surround the angle brackets) and the
// first line of its value.
std::map<std::string, std::string> data_fields(const std::vector<std::string>& lines, size_t from) {
  std::map<std::string, std::string> fields;
  for (size_t i = from; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.empty() || line[0] != '>') continue;
    const size_t open = line.find('<'), close = line.find('>', open == std::string::npos ? 1 : open);
    if (open == std::string::npos || close == std::string::npos) continue;
    fields[line.substr(open + 1, close - open - 1)] = i + 1 < lines.size() ? without_trailing_space(lines[i + 1]) : "";
  }
  return fields;
}

}  // namespace

SdfReader::SdfReader(const std::string& path, const data::ReadOptions& options)
    : path_(path), options_(options), stream_(std::make_unique<data::TextStream>(path)) {
  reader_ = std::make_unique<data::LineReader>(*stream_, std::string(), path);
}

std::vector<std::string> SdfReader::next_record_lines() {
  std::vector<std::string> lines;
  while (reader_->next()) {
    const std::string line = without_trailing_space(reader_->line());
    if (lines.empty()) record_line_ = reader_->line_number();
    if (line == "$$$$") {
      if (lines.empty()) reader_->fail("an empty SDF record");
      return lines;
    }
    lines.push_back(line);
  }
  // The last record may lack its "$$$$" (a MOL file has none); trailing blank lines are no record.
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::optional<data::Molecule> SdfReader::next(std::vector<data::SkippedMolecule>& skipped) {
  while (pending_.empty()) {
    const auto lines = next_record_lines();
    if (lines.empty()) return std::nullopt;
    data::Molecule record;
    record.source_file = path_;
    record.source_line = record_line_;
    record.frame = record.record = records_++;
    if (!options_.in_shard(record.record)) continue;
    const std::string title = without_trailing_space(lines[0]);
    record.id = title.empty() ? unnamed_id(path_, record.frame) : title;

    size_t end = 0;  // the line after "M  END"
    std::string block;
    for (; end < lines.size();) {
      block += lines[end] + "\n";
      if (lines[end++] == "M  END") break;
    }
    const auto fields = data_fields(lines, end);
    for (data::Target target : data::all_targets()) {
      const auto field = fields.find(options_.column_of(target));
      if (field == fields.end() || field->second.empty()) continue;
      const auto value = data::parse_real(field->second);
      if (!value || !std::isfinite(*value)) {
        throw data::DataError(path_, record.source_line,
                              "record " + record.id + ": " + data::target_name(target) + " '" + field->second +
                                  "' is not a finite number");
      }
      record.set_target(target, *value * data::file_to_thesis_factor(target));
    }
    try {
      const auto start = std::chrono::steady_clock::now();
      std::unique_ptr<RDKit::RWMol> molecule;
      try {
        molecule.reset(RDKit::MolBlockToMol(block, /*sanitize=*/true, /*removeHs=*/false));
      } catch (const std::exception& error) {
        throw StructureError("bad_structure", error.what());
      }
      add_parse_time(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      if (!molecule || molecule->getNumAtoms() == 0) throw StructureError("bad_structure", "RDKit reads no molecule");
      const Structure structure = has_3d_coordinates(*molecule)
                                      ? structure_with_coordinates(*molecule)
                                      : embed_structure(*molecule, embedding_options(options_));
      for (auto& molecule_of_structure : structure_molecules(structure, record)) {
        pending_.push_back(std::move(molecule_of_structure));
      }
    } catch (const StructureError& error) {
      skipped.push_back({path_, record.source_line, record.id, error.reason(), error.what(), 0, record.record});
    }
  }
  data::Molecule molecule = std::move(pending_.front());
  pending_.pop_front();
  return molecule;
}

}  // namespace e3::chem
