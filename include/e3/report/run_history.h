#pragma once
// What a run recorded at each validation, read back from its metrics.csv (train/metrics.h):
// the input of `e3cpp compare`.

#include <string>
#include <vector>

#include "e3/data/targets.h"

namespace e3::report {

struct RunHistory {
  std::string run;    ///< the run directory
  std::string label;  ///< its name in legends: the directory's name
  std::vector<data::Target> targets;
  std::vector<std::string> columns;        ///< metrics.csv's header
  std::vector<std::vector<double>> rows;   ///< one per validation

  bool has(const std::string& column) const;
  /// The values of `column`, one per validation; std::runtime_error naming the run when it has
  /// no such column.
  std::vector<double> column(const std::string& name) const;
};

/// The history of the run at `path`: its targets (config.json) and metrics.csv.
/// std::runtime_error naming the path when it is not a run or has not validated yet, and
/// naming the file and line of a malformed metrics.csv.
RunHistory read_run_history(const std::string& path);

}  // namespace e3::report
