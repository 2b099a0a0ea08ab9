#include "smiles_reader.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <thread>

#include "e3/chem/structure.h"
#include "e3/data/csv.h"
#include "e3/data/error.h"
#include "structure_molecules.h"

namespace e3::chem {
namespace {

// Records embedded at a time, in parallel over ReadOptions::threads: enough to keep the threads
// busy, few enough that memory stays that of a few molecules.
constexpr size_t kRecordsPerBatch = 64;

std::string lowercase(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// The fields of a CSV line; a DataError naming the line for an unclosed quote.
std::vector<std::string> csv_fields(const data::LineReader& reader) {
  try {
    return data::parse_csv_line(reader.line());
  } catch (const std::invalid_argument& error) {
    reader.fail(error.what());
  }
}

}  // namespace

SmilesReader::SmilesReader(const std::string& path, const data::ReadOptions& options, Layout layout)
    : path_(path), options_(options), layout_(layout), stream_(std::make_unique<data::TextStream>(path)) {
  reader_ = std::make_unique<data::LineReader>(*stream_, std::string(), path);
  if (layout_ == Layout::csv) read_header();
}

void SmilesReader::read_header() {
  while (reader_->next() && data::is_blank(reader_->line())) continue;
  if (data::is_blank(reader_->line())) throw data::DataError(path_, 0, "empty CSV file: no header line");
  const auto header = csv_fields(*reader_);
  columns_ = header.size();
  std::string names;
  for (size_t c = 0; c < header.size(); ++c) {
    const std::string name(trimmed(header[c]));
    names += (c ? ", " : "") + name;
    if (name == options_.smiles_column) smiles_column_ = static_cast<int64_t>(c);
    if (name_column_ < 0 && (lowercase(name) == "name" || lowercase(name) == "id")) name_column_ = static_cast<int64_t>(c);
    for (data::Target target : data::all_targets()) {
      if (name == options_.column_of(target)) target_columns_.emplace_back(target, c);
    }
  }
  if (smiles_column_ < 0) {
    reader_->fail("no column '" + options_.smiles_column + "' for the SMILES (the columns: " + names +
                  "); name it with --smiles-column");
  }
  for (const auto& [target, column] : options_.target_columns) {
    const bool found = std::any_of(target_columns_.begin(), target_columns_.end(),
                                   [&](const auto& entry) { return entry.first == target; });
    if (!found) {
      reader_->fail("no column '" + column + "' for " + data::target_name(target) + " (the columns: " + names + ")");
    }
  }
}

std::optional<data::Molecule> SmilesReader::next_record() {
  while (reader_->next()) {
    const std::string_view line = trimmed(reader_->line());
    if (line.empty() || line.front() == '#') continue;
    data::Molecule record;
    record.source_file = path_;
    record.source_line = reader_->line_number();
    std::string name;
    if (layout_ == Layout::csv) {
      const auto fields = csv_fields(*reader_);
      if (fields.size() != columns_) {
        reader_->fail(std::to_string(fields.size()) + " fields where the header has " + std::to_string(columns_));
      }
      record.smiles = std::string(trimmed(fields[smiles_column_]));
      if (name_column_ >= 0) name = std::string(trimmed(fields[name_column_]));
      for (const auto& [target, column] : target_columns_) {
        const std::string_view value = trimmed(fields[column]);
        if (value.empty()) continue;  // an empty cell: the target is not known for this molecule
        record.set_target(target, reader_->real(value, data::target_name(target)) * data::file_to_thesis_factor(target));
      }
    } else {
      const size_t end = line.find_first_of(" \t");
      record.smiles = std::string(line.substr(0, end));
      if (end != std::string_view::npos) name = std::string(trimmed(line.substr(end)));
      // A header line ("smiles name", "SMILES"): the first record only.
      if (!header_checked_ && lowercase(record.smiles) == "smiles") {
        header_checked_ = true;
        continue;
      }
    }
    header_checked_ = true;
    record.frame = record.record = records_++;
    if (!options_.in_shard(record.record)) continue;
    record.id = name.empty() ? unnamed_id(path_, record.frame) : name;
    return record;
  }
  return std::nullopt;
}

std::optional<data::Molecule> SmilesReader::next(std::vector<data::SkippedMolecule>& skipped) {
  while (true) {
    while (!pending_.empty()) {
      auto item = std::move(pending_.front());
      pending_.pop_front();
      if (auto* molecule = std::get_if<data::Molecule>(&item)) return std::move(*molecule);
      skipped.push_back(std::get<data::SkippedMolecule>(std::move(item)));
    }
    std::vector<data::Molecule> records;
    while (records.size() < kRecordsPerBatch) {
      auto record = next_record();
      if (!record) break;
      records.push_back(std::move(*record));
    }
    if (records.empty()) return std::nullopt;
    embed(records);
  }
}

void SmilesReader::embed(const std::vector<data::Molecule>& records) {
  // Each record's structure or why there is none, computed in parallel (a structure depends on
  // its SMILES and the seed only) and queued in file order.
  std::vector<std::optional<Structure>> structures(records.size());
  std::vector<std::optional<StructureError>> errors(records.size());
  const EmbeddingOptions embedding = embedding_options(options_);
  std::atomic<size_t> next{0};
  const auto work = [&] {
    for (size_t r = next++; r < records.size(); r = next++) {
      try {
        if (records[r].smiles.empty()) throw StructureError("bad_smiles", "the SMILES is empty");
        structures[r] = structure_from_smiles(records[r].smiles, embedding);
      } catch (const StructureError& error) {
        errors[r] = error;
      } catch (const std::exception& error) {
        errors[r] = StructureError("embedding_failed", error.what());
      }
    }
  };
  const size_t threads = std::min(records.size(), static_cast<size_t>(options_.threads));
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (auto& helper : helpers) helper.join();
  for (size_t r = 0; r < records.size(); ++r) {
    if (errors[r]) {
      pending_.push_back(data::SkippedMolecule{path_, records[r].source_line, records[r].id, errors[r]->reason(),
                                               errors[r]->what(), 0, records[r].record});
      continue;
    }
    for (auto& molecule : structure_molecules(*structures[r], records[r])) pending_.push_back(std::move(molecule));
  }
}

}  // namespace e3::chem
