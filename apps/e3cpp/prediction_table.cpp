#include "prediction_table.h"

#include <nlohmann/json.hpp>

#include <iomanip>

namespace e3::cli {

PredictionTable::PredictionTable(PredictionColumns columns, bool json, std::ostream& out)
    : columns_(std::move(columns)), json_(json), out_(out) {
  const auto& targets = columns_.targets;
  if (json_) {
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
  out_ << "file\tmolecule";
  for (size_t t = 0; t < targets.size(); ++t) {
    const std::string name = data::target_name(targets[t]), unit = data::thesis_unit(targets[t]);
    out_ << '\t' << name << " [" << unit << ']';
    if (columns_.conformer_spread) {
      out_ << '\t' << name << "_std [" << unit << ']';
    } else if (columns_.dipole[t]) {
      for (const char* axis : {"_x", "_y", "_z"}) out_ << '\t' << name << axis << " [" << unit << ']';
    }
  }
  if (columns_.conformer_spread) out_ << "\tconformers";
  if (columns_.geometry) out_ << "\tgeometry";
  // Fixed decimals: total energies of ~1e4 eV still show meV and below.
  out_ << "\tflags\n" << std::fixed << std::setprecision(6);
}

void PredictionTable::write(const PredictionRow& row) {
  if (json_) {
    write_json(row);
  } else {
    write_text(row);
  }
  first_ = false;
}

void PredictionTable::write_text(const PredictionRow& row) {
  out_ << row.file << '\t' << row.molecule;
  size_t vector = 0;
  for (size_t t = 0; t < columns_.targets.size(); ++t) {
    if (row.values) {
      out_ << '\t' << (*row.values)[t];
    } else {
      out_ << "\t-";
    }
    if (columns_.conformer_spread) {
      if (row.values) {
        out_ << '\t' << row.spread[t];
      } else {
        out_ << "\t-";
      }
    } else if (columns_.dipole[t]) {
      for (size_t axis = 0; axis < 3; ++axis) {
        if (row.values) {
          out_ << '\t' << row.vectors[vector][axis];
        } else {
          out_ << "\t-";
        }
      }
      ++vector;
    }
  }
  if (columns_.conformer_spread) out_ << '\t' << (row.values ? std::to_string(row.conformers) : "-");
  if (columns_.geometry) out_ << '\t' << (row.values ? row.geometry : "-");
  std::string flags;
  for (const auto& flag : row.flags) flags += (flags.empty() ? "" : ",") + flag;
  out_ << '\t' << (flags.empty() ? "-" : flags) << '\n';
}

void PredictionTable::write_json(const PredictionRow& row) {
  const auto& targets = columns_.targets;
  // A number where the row has values, null where the record gave no molecule.
  const auto number = [&](const std::vector<double>& values, size_t t) {
    return row.values ? nlohmann::json(values[t]) : nlohmann::json();
  };
  nlohmann::json entry = {{"file", row.file}, {"molecule", row.molecule}};
  if (targets.size() == 1) {
    entry["value"] = row.values ? nlohmann::json((*row.values)[0]) : nlohmann::json();
    if (columns_.conformer_spread) entry["std"] = number(row.spread, 0);
  } else {
    entry["values"] = nlohmann::json::object();
    if (columns_.conformer_spread) entry["std"] = nlohmann::json::object();
    for (size_t t = 0; t < targets.size(); ++t) {
      entry["values"][data::target_name(targets[t])] = row.values ? nlohmann::json((*row.values)[t]) : nlohmann::json();
      if (columns_.conformer_spread) entry["std"][data::target_name(targets[t])] = number(row.spread, t);
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
  out_ << (first_ ? "" : ",") << entry.dump();
}

void PredictionTable::finish() {
  if (json_) out_ << "]}\n";
  out_ << std::flush;
}

}  // namespace e3::cli
