#pragma once
// Table 3.5 for a user's runs: one row per target, one column per run (its test MAE in Table
// 3.5's units), with columns of the thesis' own numbers beside them for reference — the table
// `e3cpp report` prints, as text, Markdown, CSV or JSON.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "e3/data/targets.h"
#include "e3/train/metrics.h"

namespace e3::report {

/// A run's errors on a split of its data, in the thesis' units (Table 2.1).
struct RunResult {
  std::string run;    ///< the run directory
  std::string label;  ///< its column heading: the directory's name
  std::string data;   ///< the data it was evaluated on
  std::string split;  ///< test, val or train
  int64_t molecules = 0;
  std::vector<data::Target> targets;
  std::vector<train::ErrorMetrics> errors;  ///< one per target
  std::vector<std::string> readouts;        ///< each target's readout kind (sum, mean, dipole, spatial_extent)
  int64_t members = 1;                      ///< an ensemble's members (1: one model)
  /// An ensemble's mean standard deviation of its predictions per target (Table 3.5's units;
  /// NaN where no molecule has the target); empty for one model.
  std::vector<double> mean_std;
};

/// Opens the run at `path` (its best model, or an ensemble's members' mean) and evaluates it
/// on the `split` of its own data.
RunResult evaluate_run(const std::string& path, const std::string& split = "test");

struct ResultsTable {
  std::vector<RunResult> runs;
  /// Columns of Table 3.5 shown beside the runs (thesis_models() names).
  std::vector<std::string> references;
};

/// An aligned plain-text table; the legend names each run's readouts and an ensemble's mean
/// standard deviation per target.
std::string to_text(const ResultsTable& table);
/// A Markdown table, with a line saying what the columns are.
std::string to_markdown(const ResultsTable& table);
/// CSV: target, unit, then one column per run and per reference.
std::string to_csv(const ResultsTable& table);
/// {"units": {target: unit}, "runs": [{run, label, data, split, molecules, mae: {target: value},
///  readouts: {target: kind}, members, and for an ensemble mean_std: {target: value}}],
///  "thesis": {model: {target: value}}}, values in Table 3.5's units.
nlohmann::json to_json(const ResultsTable& table);

}  // namespace e3::report
