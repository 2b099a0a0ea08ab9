#pragma once
// Line charts as standalone SVG documents: curves of validation error against training
// progress on a logarithmic vertical axis, the kind of plot of the thesis' Figures 3.2-3.5.
// Used for a run's learning_curve.svg and for `e3cpp compare`.

#include <string>
#include <vector>

namespace e3::train {

/// One curve: points (x[i], y[i]); points with y <= 0 or not finite are left out (a log axis
/// cannot show them).
struct ChartSeries {
  std::string label;
  std::vector<double> x, y;
  /// Optional, one per point: shown with the point's values when the pointer rests on it.
  std::vector<std::string> notes;
};

struct ChartOptions {
  std::string title;
  std::string x_label;
  std::string y_label;  ///< the axis label, with its unit
};

/// An SVG document (white background, 760 x 460) with every series in its own colour, a
/// legend naming them when there is more than one, a logarithmic vertical axis fitted to the
/// data (from the nearest m * 10^d below it to the nearest above, labelled at 1, 2 and 5 times
/// the powers of ten, or at every tick where fewer of those fall on it), and a linear
/// horizontal axis with about ten ticks labelled as people write numbers (5,000, 20k, 1.5M).
/// An empty chart (no plottable point) is a frame with the labels.
std::string line_chart_svg(const std::vector<ChartSeries>& series, const ChartOptions& options);

}  // namespace e3::train
