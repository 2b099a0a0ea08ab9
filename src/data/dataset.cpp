#include "e3/data/dataset.h"

#include <iostream>
#include <numeric>

#include "e3/data/error.h"
#include "e3/data/read.h"

namespace e3::data {

Dataset::Dataset(std::vector<Molecule> molecules) : molecules_(std::move(molecules)) {
  index_.reserve(molecules_.size());
  for (size_t i = 0; i < molecules_.size(); ++i) {
    const auto [found, inserted] = index_.emplace(molecules_[i].id, i);
    if (!inserted) {
      const Molecule& first = molecules_[found->second];
      throw DataError(molecules_[i].source_file, molecules_[i].source_line,
                      "duplicate molecule id " + molecules_[i].id + " (first at " + first.source_file + ":" +
                          std::to_string(first.source_line) + ")");
    }
  }
}

Dataset Dataset::read(const std::string& path, const ReadOptions& options) {
  std::vector<SkippedMolecule> skipped;
  Dataset dataset(read_molecules(path, options, &skipped));
  constexpr size_t kWarnings = 10;
  for (size_t i = 0; i < skipped.size() && i < kWarnings; ++i) {
    const auto& record = skipped[i];
    std::cerr << "warning: " << record.source_file << ':' << record.source_line << ": " << record.reason
              << ": molecule " << record.id << " skipped (" << record.detail << ")\n";
  }
  if (!skipped.empty()) {
    std::cerr << "warning: " << path << ": " << skipped.size() << " record(s) skipped, " << dataset.size()
              << " molecules read\n";
  }
  return dataset;
}

std::optional<size_t> Dataset::find(const std::string& id) const {
  const auto found = index_.find(id);
  if (found == index_.end()) return std::nullopt;
  return found->second;
}

std::vector<size_t> Dataset::all_indices() const {
  std::vector<size_t> indices(molecules_.size());
  std::iota(indices.begin(), indices.end(), size_t{0});
  return indices;
}

std::vector<size_t> Dataset::with_target(const std::vector<size_t>& indices, Target target) const {
  std::vector<size_t> result;
  for (size_t index : indices) {
    if (molecules_.at(index).has(target)) result.push_back(index);
  }
  return result;
}

void Dataset::require(Target target, const std::vector<size_t>& indices) const {
  for (size_t i : indices) molecules_.at(i).target(target);
}

}  // namespace e3::data
