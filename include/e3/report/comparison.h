#pragma once
// Validation curves of several runs on one logarithmic axis, one colour per run: the plots of
// the thesis' Figures 3.2-3.5 (L0 vs L1 vs L2, radial bases, batch sizes), made by
// `e3cpp compare`.

#include <string>
#include <vector>

#include "e3/report/run_history.h"

namespace e3::report {

struct ComparisonOptions {
  /// val_mae, val_rmse (of `target`) or val_score (the selection score of a run, any targets).
  std::string metric = "val_mae";
  /// The target of val_mae and val_rmse; empty: the one target every run has.
  std::string target;
  /// The horizontal axis: epoch, step, molecules (seen in training) or minutes (of training).
  std::string x = "epoch";
  std::string title;  ///< empty: made from the metric and the target
};

/// The SVG document (train/line_chart.h). std::invalid_argument for an unknown metric or axis
/// or a target that is not a target name; std::runtime_error naming a run that lacks the
/// target, or saying that --target is needed when the runs do not share exactly one.
std::string comparison_svg(const std::vector<RunHistory>& runs, const ComparisonOptions& options);

}  // namespace e3::report
