#include "e3/train/learning_curve.h"

namespace e3::train {

std::vector<ChartSeries> learning_curves(const std::vector<ValidationRecord>& history,
                                         const std::vector<data::Target>& targets, const std::vector<double>& scales) {
  std::vector<ChartSeries> curves;
  for (size_t t = 0; t < targets.size(); ++t) {
    ChartSeries curve;
    curve.label = data::target_name(targets[t]);
    const double scale = targets.size() == 1 ? 1.0 : 1.0 / scales.at(t);
    for (const auto& record : history) {
      curve.x.push_back(record.epoch);
      curve.y.push_back(record.targets.at(t).mae * scale);
      curve.notes.push_back("step " + std::to_string(record.step) + ", " + std::to_string(record.molecules) +
                            " molecules seen");
    }
    curves.push_back(std::move(curve));
  }
  return curves;
}

std::string learning_curve_svg(const std::vector<ValidationRecord>& history, const std::vector<data::Target>& targets,
                               const std::vector<double>& scales) {
  ChartOptions options;
  options.x_label = "epoch";
  if (targets.size() == 1) {
    options.title = std::string(data::target_name(targets[0])) + ": validation MAE";
    options.y_label = std::string("validation MAE (") + data::thesis_unit(targets[0]) + ", log scale)";
  } else {
    options.title = "validation MAE of each target, in units of its spread in the training molecules";
    options.y_label = "validation MAE / std of the target (log scale)";
  }
  return line_chart_svg(learning_curves(history, targets, scales), options);
}

}  // namespace e3::train
