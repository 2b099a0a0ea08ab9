#include "e3/report/results_table.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <optional>
#include <sstream>

#include "e3/data/csv.h"
#include "e3/data/dataset.h"
#include "e3/report/thesis_results.h"
#include "e3/train/trained_run.h"

namespace e3::report {
namespace {

// The targets of any run, in Table 2.1's order (the rows).
std::vector<data::Target> rows(const ResultsTable& table) {
  std::vector<data::Target> targets;
  for (auto target : data::all_targets()) {
    for (const auto& run : table.runs) {
      if (std::find(run.targets.begin(), run.targets.end(), target) != run.targets.end()) {
        targets.push_back(target);
        break;
      }
    }
  }
  return targets;
}

// A run's test MAE on `target` in Table 3.5's unit; nullopt when the run has no such target
// or no molecule had it.
std::optional<double> run_mae(const RunResult& run, data::Target target) {
  for (size_t t = 0; t < run.targets.size(); ++t) {
    if (run.targets[t] == target && run.errors[t].count > 0) return run.errors[t].mae * data::thesis_to_report_factor(target);
  }
  return std::nullopt;
}

std::string format(const std::optional<double>& value) {
  if (!value) return "-";
  std::ostringstream out;
  out << std::setprecision(4) << *value;
  return out.str();
}

std::string row_label(data::Target target) {
  return std::string(data::target_name(target)) + " (" + data::report_unit(target) + ")";
}

// Headings and cells of the table, without formatting.
struct Grid {
  std::vector<std::string> headings;
  std::vector<std::vector<std::string>> cells;
};

Grid grid(const ResultsTable& table) {
  Grid g;
  g.headings.push_back("target");
  for (const auto& run : table.runs) g.headings.push_back(run.label);
  for (const auto& model : table.references) g.headings.push_back(model + " (thesis)");
  for (auto target : rows(table)) {
    std::vector<std::string> row{row_label(target)};
    for (const auto& run : table.runs) row.push_back(format(run_mae(run, target)));
    for (const auto& model : table.references) row.push_back(format(thesis_mae(model, target)));
    g.cells.push_back(row);
  }
  return g;
}

std::string legend(const ResultsTable& table) {
  std::ostringstream out;
  out << "Test MAE in Table 3.5's units.";
  for (const auto& run : table.runs) {
    out << " " << run.label << ": " << run.molecules << " molecules of the " << run.split << " split of " << run.data
        << "; readouts:";
    for (size_t t = 0; t < run.targets.size(); ++t) {
      out << (t ? ", " : " ") << data::target_name(run.targets[t]) << ' ' << run.readouts[t];
    }
    if (!run.mean_std.empty()) {
      out << "; an ensemble of " << run.members << " members, the mean of their standard deviations:";
      for (size_t t = 0; t < run.targets.size(); ++t) {
        out << (t ? ", " : " ") << data::target_name(run.targets[t]) << ' '
            << (std::isfinite(run.mean_std[t]) ? format(run.mean_std[t]) : std::string("-"));
      }
    }
    out << ".";
  }
  if (!table.references.empty()) {
    out << " (thesis): the thesis' Table 3.5, on the full QM9 (L0Net, L1Net: 55 epochs; ARandNet, BRandNet: 100).";
  }
  return out.str();
}

}  // namespace

RunResult evaluate_run(const std::string& path, const std::string& split) {
  auto run = train::TrainedRun::open(path);
  RunResult result;
  result.run = path;
  result.label = std::filesystem::path(path).lexically_normal().filename().string();
  if (result.label.empty()) result.label = std::filesystem::path(path).lexically_normal().parent_path().filename().string();
  result.data = run.config().string("data");
  result.split = split;
  const auto dataset = data::Dataset::read(result.data);
  const auto parts = run.split(dataset);
  const auto& indices = split == "val" ? parts.val : split == "train" ? parts.train : parts.test;
  if (indices.empty()) throw std::runtime_error(path + ": its " + split + " split has no molecules");
  result.molecules = static_cast<int64_t>(indices.size());
  result.targets = run.targets();
  const auto predicted = run.predict_with_dipoles(dataset, indices);
  result.errors = train::target_errors(predicted.values, dataset, indices, result.targets);
  result.members = static_cast<int64_t>(run.members());
  if (!predicted.spread.empty()) {
    for (size_t t = 0; t < result.targets.size(); ++t) {
      double sum = 0;
      int64_t count = 0;
      for (size_t i = 0; i < indices.size(); ++i) {
        if (dataset[indices[i]].has(result.targets[t])) sum += predicted.spread[t][i], ++count;
      }
      result.mean_std.push_back(count ? sum / static_cast<double>(count) * data::thesis_to_report_factor(result.targets[t])
                                      : std::nan(""));
    }
  }
  for (int64_t h = 0; h < run.model()->num_heads(); ++h) {
    result.readouts.push_back(nn::to_string(run.model()->head(h)->readout->options.readout()));
  }
  return result;
}

std::string to_text(const ResultsTable& table) {
  const auto g = grid(table);
  std::vector<size_t> widths(g.headings.size());
  for (size_t c = 0; c < widths.size(); ++c) {
    widths[c] = g.headings[c].size();
    for (const auto& row : g.cells) widths[c] = std::max(widths[c], row[c].size());
  }
  std::ostringstream out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      out << (c == 0 ? std::left : std::right) << std::setw(static_cast<int>(widths[c])) << cells[c]
          << (c + 1 < cells.size() ? "  " : "\n");
    }
  };
  line(g.headings);
  for (const auto& row : g.cells) line(row);
  out << '\n' << legend(table) << '\n';
  return out.str();
}

std::string to_markdown(const ResultsTable& table) {
  const auto g = grid(table);
  std::ostringstream out;
  auto line = [&](const std::vector<std::string>& cells) {
    out << '|';
    for (const auto& cell : cells) out << ' ' << cell << " |";
    out << '\n';
  };
  line(g.headings);
  out << "|---|";
  for (size_t c = 1; c < g.headings.size(); ++c) out << "---:|";
  out << '\n';
  for (const auto& row : g.cells) line(row);
  out << '\n' << legend(table) << '\n';
  return out.str();
}

std::string to_csv(const ResultsTable& table) {
  std::ostringstream out;
  out << "target,unit";
  for (const auto& run : table.runs) out << ',' << data::csv_field(run.label);
  for (const auto& model : table.references) out << ',' << data::csv_field(model + " (thesis)");
  out << '\n' << std::setprecision(10);
  for (auto target : rows(table)) {
    out << data::target_name(target) << ',' << data::csv_field(data::report_unit(target));
    for (const auto& run : table.runs) {
      out << ',';
      if (const auto mae = run_mae(run, target)) out << *mae;
    }
    for (const auto& model : table.references) out << ',' << *thesis_mae(model, target);
    out << '\n';
  }
  return out.str();
}

nlohmann::json to_json(const ResultsTable& table) {
  nlohmann::json json;
  json["units"] = nlohmann::json::object();
  for (auto target : rows(table)) json["units"][data::target_name(target)] = data::report_unit(target);
  json["runs"] = nlohmann::json::array();
  for (const auto& run : table.runs) {
    nlohmann::json mae = nlohmann::json::object(), readouts = nlohmann::json::object();
    for (size_t t = 0; t < run.targets.size(); ++t) {
      const auto value = run_mae(run, run.targets[t]);
      mae[data::target_name(run.targets[t])] = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
      readouts[data::target_name(run.targets[t])] = run.readouts[t];
    }
    json["runs"].push_back({{"run", run.run},
                            {"label", run.label},
                            {"data", run.data},
                            {"split", run.split},
                            {"molecules", run.molecules},
                            {"mae", mae},
                            {"readouts", readouts},
                            {"members", run.members}});
    if (!run.mean_std.empty()) {
      nlohmann::json spread = nlohmann::json::object();
      for (size_t t = 0; t < run.targets.size(); ++t) {
        const double value = run.mean_std[t];
        spread[data::target_name(run.targets[t])] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
      }
      json["runs"].back()["mean_std"] = spread;
    }
  }
  json["thesis"] = nlohmann::json::object();
  for (const auto& model : table.references) {
    json["thesis"][model] = nlohmann::json::object();
    for (auto target : rows(table)) json["thesis"][model][data::target_name(target)] = *thesis_mae(model, target);
  }
  return json;
}

}  // namespace e3::report
