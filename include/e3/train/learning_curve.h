#pragma once
// The learning curve of a run (RUN/learning_curve.svg): validation MAE against epochs on a
// logarithmic axis, like the thesis' Figure 3.2. One target: its MAE in its unit. Several
// targets: each target's MAE divided by its scale (the spread of the target in the training
// molecules, ValidationRecord::score), one curve per target, so that targets of every unit
// share one axis. Each point names its step and the training molecules seen.

#include <string>
#include <vector>

#include "e3/data/targets.h"
#include "e3/train/line_chart.h"
#include "e3/train/metrics.h"

namespace e3::train {

/// The curves of `history` for `targets` (with their scales, used when there are several).
std::vector<ChartSeries> learning_curves(const std::vector<ValidationRecord>& history,
                                         const std::vector<data::Target>& targets, const std::vector<double>& scales);

/// The SVG document of learning_curves().
std::string learning_curve_svg(const std::vector<ValidationRecord>& history, const std::vector<data::Target>& targets,
                               const std::vector<double>& scales);

}  // namespace e3::train
