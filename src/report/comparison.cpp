#include "e3/report/comparison.h"

#include <algorithm>
#include <stdexcept>

#include "e3/train/line_chart.h"

namespace e3::report {
namespace {

// The target val_mae / val_rmse are plotted for.
data::Target chosen_target(const std::vector<RunHistory>& runs, const std::string& name) {
  if (!name.empty()) {
    const auto target = data::parse_target(name);
    for (const auto& run : runs) {
      if (std::find(run.targets.begin(), run.targets.end(), target) == run.targets.end()) {
        std::string targets;
        for (auto t : run.targets) targets += (targets.empty() ? "" : ",") + std::string(data::target_name(t));
        throw std::runtime_error(run.run + " has no target " + name + " (its targets: " + targets + ")");
      }
    }
    return target;
  }
  for (const auto& run : runs) {
    if (run.targets.size() != 1 || run.targets[0] != runs.front().targets[0]) {
      throw std::runtime_error("the runs do not all have one and the same target: give --target (or --metric val_score)");
    }
  }
  return runs.front().targets[0];
}

}  // namespace

std::string comparison_svg(const std::vector<RunHistory>& runs, const ComparisonOptions& options) {
  if (runs.empty()) throw std::invalid_argument("no run to compare");
  const auto& metric = options.metric;
  if (metric != "val_mae" && metric != "val_rmse" && metric != "val_score") {
    throw std::invalid_argument("--metric must be val_mae, val_rmse or val_score, not '" + metric + "'");
  }
  const auto& x = options.x;
  if (x != "epoch" && x != "step" && x != "molecules" && x != "minutes") {
    throw std::invalid_argument("--x must be epoch, step, molecules or minutes, not '" + x + "'");
  }
  train::ChartOptions chart;
  std::string column = "val_score";
  if (metric == "val_score") {
    chart.y_label = "validation score: mean over targets of MAE / std (log scale)";
    chart.title = "validation score";
  } else {
    const auto target = chosen_target(runs, options.target);
    const std::string name = data::target_name(target);
    column = (metric == "val_mae" ? "mae_" : "rmse_") + name;
    const std::string what = metric == "val_mae" ? "MAE" : "RMSE";
    chart.y_label = "validation " + what + " of " + name + " (" + data::thesis_unit(target) + ", log scale)";
    chart.title = name + ": validation " + what;
  }
  if (!options.title.empty()) chart.title = options.title;
  chart.x_label = x == "epoch" ? "epoch" : x == "step" ? "optimizer step" : x == "molecules" ? "training molecules seen"
                                                                                             : "training time (minutes)";
  std::vector<train::ChartSeries> series;
  for (const auto& run : runs) {
    train::ChartSeries curve;
    curve.label = run.label;
    curve.x = run.column(x == "minutes" ? "elapsed_seconds" : x);
    if (x == "minutes") {
      for (double& value : curve.x) value /= 60.0;
    }
    curve.y = run.column(column);
    series.push_back(std::move(curve));
  }
  return train::line_chart_svg(series, chart);
}

}  // namespace e3::report
