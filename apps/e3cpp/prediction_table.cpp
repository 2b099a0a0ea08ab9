#include "prediction_table.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <sstream>

namespace e3::cli {

PredictionTable::PredictionTable(PredictionColumns columns, TableFormat format, std::ostream& out)
    : columns_(std::move(columns)), format_(format), out_(out) {
  const auto& targets = columns_.targets;
  if (format_ == TableFormat::json) {
    nlohmann::json head;
    if (targets.size() == 1) {
      head = {{"target", data::target_name(targets[0])}, {"unit", data::thesis_unit(targets[0])}};
    } else {
      head["targets"] = nlohmann::json::array();
      head["units"] = nlohmann::json::object();
      for (auto target : targets) {
        head["targets"].push_back(data::target_name(target));
        head["units"][data::target_name(target)] = data::thesis_unit(target);
      }
    }
    const std::string text = head.dump();
    out_ << text.substr(0, text.size() - 1) << ",\"predictions\":[";
    return;
  }
  if (format_ != TableFormat::text) return;
  out_ << "file\tmolecule";
  for (size_t t = 0; t < targets.size(); ++t) {
    const std::string name = data::target_name(targets[t]), unit = data::thesis_unit(targets[t]);
    out_ << '\t' << name << " [" << unit << ']';
    if (columns_.spread()) out_ << '\t' << name << "_std [" << unit << ']';
    if (columns_.dipole[t] && !columns_.conformer_spread) {
      for (const char* axis : {"_x", "_y", "_z"}) out_ << '\t' << name << axis << " [" << unit << ']';
    }
  }
  if (columns_.conformer_spread) out_ << "\tconformers";
  if (columns_.geometry) out_ << "\tgeometry";
  out_ << "\tflags\n";
}

void PredictionTable::write(const PredictionRow& row) {
  switch (format_) {
    case TableFormat::text:
    case TableFormat::json:
      write_shard_row(format_ == TableFormat::text ? text_row(row) : json_entry(row));
      return;
    case TableFormat::text_shards:
    case TableFormat::json_shards:
      out_ << row.file_index << '\t' << row.record << '\t'
           << (format_ == TableFormat::text_shards ? text_row(row) : json_entry(row)) << '\n';
      return;
  }
}

void PredictionTable::write_shard_row(const std::string& row) {
  if (format_ == TableFormat::json) {
    out_ << (first_ ? "" : ",") << row;
  } else {
    out_ << row << '\n';
  }
  first_ = false;
}

std::string PredictionTable::text_row(const PredictionRow& row) const {
  std::ostringstream out;
  // Fixed decimals: total energies of ~1e4 eV still show meV and below.
  out << std::fixed << std::setprecision(6) << row.file << '\t' << row.molecule;
  size_t vector = 0;
  for (size_t t = 0; t < columns_.targets.size(); ++t) {
    if (row.values) {
      out << '\t' << (*row.values)[t];
    } else {
      out << "\t-";
    }
    if (columns_.spread()) {
      if (row.values) {
        out << '\t' << row.spread[t];
      } else {
        out << "\t-";
      }
    }
    if (columns_.dipole[t] && !columns_.conformer_spread) {
      for (size_t axis = 0; axis < 3; ++axis) {
        if (row.values) {
          out << '\t' << row.vectors[vector][axis];
        } else {
          out << "\t-";
        }
      }
      ++vector;
    }
  }
  if (columns_.conformer_spread) out << '\t' << (row.values ? std::to_string(row.conformers) : "-");
  if (columns_.geometry) out << '\t' << (row.values ? row.geometry : "-");
  std::string flags;
  for (const auto& flag : row.flags) flags += (flags.empty() ? "" : ",") + flag;
  out << '\t' << (flags.empty() ? "-" : flags);
  return out.str();
}

std::string PredictionTable::json_entry(const PredictionRow& row) const {
  const auto& targets = columns_.targets;
  // A number where the row has values, null where the record gave no molecule.
  const auto number = [&](const std::vector<double>& values, size_t t) {
    return row.values ? nlohmann::json(values[t]) : nlohmann::json();
  };
  nlohmann::json entry = {{"file", row.file}, {"molecule", row.molecule}};
  if (targets.size() == 1) {
    entry["value"] = row.values ? nlohmann::json((*row.values)[0]) : nlohmann::json();
    if (columns_.spread()) entry["std"] = number(row.spread, 0);
  } else {
    entry["values"] = nlohmann::json::object();
    if (columns_.spread()) entry["std"] = nlohmann::json::object();
    for (size_t t = 0; t < targets.size(); ++t) {
      entry["values"][data::target_name(targets[t])] = row.values ? nlohmann::json((*row.values)[t]) : nlohmann::json();
      if (columns_.spread()) entry["std"][data::target_name(targets[t])] = number(row.spread, t);
    }
  }
  if (row.values && !columns_.conformer_spread) {
    size_t vector = 0;
    for (size_t t = 0; t < targets.size(); ++t) {
      if (!columns_.dipole[t]) continue;
      const auto& v = row.vectors[vector++];
      entry["vectors"][data::target_name(targets[t])] = {v[0], v[1], v[2]};
    }
  }
  if (columns_.conformer_spread && row.values) entry["conformers"] = row.conformers;
  if (columns_.geometry && row.values) entry["geometry"] = row.geometry;
  entry["flags"] = row.flags;
  return entry.dump();
}

void PredictionTable::finish() {
  if (format_ == TableFormat::json) out_ << "]}\n";
  out_ << std::flush;
}

}  // namespace e3::cli
