#include "e3/data/read_options.h"

#include <stdexcept>

namespace e3::data {

std::string ReadOptions::column_of(Target target) const {
  for (const auto& [mapped, column] : target_columns) {
    if (mapped == target) return column;
  }
  return target_name(target);
}

void ReadOptions::validate() const {
  if (conformers < 1) throw std::invalid_argument("conformers must be at least 1, not " + std::to_string(conformers));
  if (embedding_seed < 0 || embedding_seed > 2147483647) {
    throw std::invalid_argument("embedding_seed must be in [0, 2147483647], not " + std::to_string(embedding_seed));
  }
  if (smiles_column.empty()) throw std::invalid_argument("smiles_column is empty");
  if (threads < 1) throw std::invalid_argument("threads must be at least 1, not " + std::to_string(threads));
  if (optimize != "force_field" && optimize != "xtb") {
    throw std::invalid_argument("optimize must be force_field or xtb, not '" + optimize + "'");
  }
  if (shard_count < 1 || shard_index < 0 || shard_index >= shard_count) {
    throw std::invalid_argument("the shard must be I/N with 0 <= I < N, not " + std::to_string(shard_index) + "/" +
                                std::to_string(shard_count));
  }
}

std::vector<std::pair<Target, std::string>> parse_target_columns(const std::string& text) {
  std::vector<std::pair<Target, std::string>> columns;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string entry = text.substr(start, end - start);
    const size_t equals = entry.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == entry.size()) {
      throw std::invalid_argument("target column '" + entry + "' is not TARGET=COLUMN (e.g. mu=dipole)");
    }
    const auto target = find_target(entry.substr(0, equals));
    if (!target) throw std::invalid_argument("target column '" + entry + "': unknown target '" + entry.substr(0, equals) + "'");
    for (const auto& [mapped, column] : columns) {
      if (mapped == *target) throw std::invalid_argument(std::string("target column for ") + target_name(*target) + " given twice");
    }
    columns.emplace_back(*target, entry.substr(equals + 1));
    start = end + 1;
  }
  return columns;
}

std::string target_columns_text(const std::vector<std::pair<Target, std::string>>& columns) {
  std::string text;
  for (const auto& [target, column] : columns) text += (text.empty() ? "" : ",") + std::string(target_name(target)) + "=" + column;
  return text;
}

}  // namespace e3::data
