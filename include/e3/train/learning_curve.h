#pragma once
// The learning curve of a run as an SVG image: validation MAE per epoch on a logarithmic
// vertical axis, the kind of plot of the thesis' Figure 3.2.

#include <string>
#include <vector>

#include "e3/train/metrics.h"

namespace e3::train {

/// An SVG document plotting history[i].val_mae against history[i].epoch; `title` goes above
/// the plot and `unit` on the vertical axis. An empty history gives an empty frame.
std::string learning_curve_svg(const std::vector<EpochRecord>& history, const std::string& title,
                               const std::string& unit);

}  // namespace e3::train
