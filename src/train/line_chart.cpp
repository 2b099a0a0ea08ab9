#include "e3/train/line_chart.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <utility>

namespace e3::train {
namespace {

constexpr double kWidth = 760, kHeight = 460;
constexpr double kLeft = 80, kTop = 40, kBottom = 52;

// The ten colours of matplotlib's default cycle (what the thesis' figures use).
constexpr const char* kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

// The stroke of series k: the ten colours, drawn solid, then dashed for the next ten (twelve
// targets must not share a look).
std::string stroke(size_t k) {
  std::string attributes = std::string("stroke=\"") + kColours[k % 10] + "\"";
  if ((k / 10) % 2 == 1) attributes += " stroke-dasharray=\"6,3\"";
  return attributes;
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

std::string format_value(double value) {
  std::ostringstream out;
  out << std::setprecision(3) << value;
  return out.str();
}

// A tick label as people write numbers: 0.25, 500, 5,000, 20k, 1.5M (never 5e+03).
std::string format_tick(double value) {
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e6) return format_value(value / 1e6) + "M";
  if (magnitude >= 1e4) return format_value(value / 1e3) + "k";
  if (magnitude >= 1e3) {
    const auto whole = static_cast<long long>(std::llround(value));
    std::string digits = std::to_string(std::llabs(whole));
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
    return (whole < 0 ? "-" : "") + digits;
  }
  return format_value(value);
}

// The logarithmic axis' ends: the nearest m * 10^d (m = 1..9) at or below `value`, and at
// or above it, so that the axis fits the data instead of spanning whole decades.
double mantissa_floor(double value) {
  const double power = std::pow(10.0, std::floor(std::log10(value)));
  return std::max(1.0, std::floor(value / power * (1 + 1e-9))) * power;
}
double mantissa_ceil(double value) {
  const double power = std::pow(10.0, std::floor(std::log10(value)));
  return std::ceil(value / power * (1 - 1e-9)) * power;
}

// A step of 1, 2 or 5 times a power of ten that cuts [0, span] into about `count` pieces.
double nice_step(double span, int count) {
  const double raw = span / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10.0 * power;
}

}  // namespace

std::string line_chart_svg(const std::vector<ChartSeries>& series, const ChartOptions& options) {
  // The legend takes a column on the right when there are several series.
  const bool legend = series.size() > 1;
  size_t longest = 0;
  for (const auto& s : series) longest = std::max(longest, s.label.size());
  const double legend_width = legend ? 40.0 + 7.0 * double(std::min<size_t>(longest, 30)) : 0.0;
  const double right = 20 + legend_width;
  const double plot_w = kWidth - kLeft - right, plot_h = kHeight - kTop - kBottom;

  std::ostringstream svg;
  svg << std::fixed << std::setprecision(2);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" viewBox=\"0 0 " << kWidth << ' ' << kHeight << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"24\" text-anchor=\"middle\" font-size=\"14\">"
      << escape(options.title) << "</text>\n";
  svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kHeight - 12 << "\" text-anchor=\"middle\">"
      << escape(options.x_label) << "</text>\n";
  svg << "<text transform=\"translate(18," << kTop + plot_h / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
      << escape(options.y_label) << "</text>\n";

  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  for (const auto& s : series) {
    for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
      if (!(s.y[i] > 0) || !std::isfinite(s.y[i]) || !std::isfinite(s.x[i])) continue;
      x_lo = std::min(x_lo, s.x[i]), x_hi = std::max(x_hi, s.x[i]);
      y_lo = std::min(y_lo, s.y[i]), y_hi = std::max(y_hi, s.y[i]);
    }
  }
  if (std::isfinite(y_lo)) {
    // The axis runs from the nearest m * 10^d below the data to the nearest above, at least a
    // factor of 2 wide.
    double bottom = mantissa_floor(y_lo), top = mantissa_ceil(y_hi);
    while (top < 2 * bottom) bottom = mantissa_floor(bottom * (1 - 1e-6)), top = mantissa_ceil(top * (1 + 1e-6));
    const double log_bottom = std::log10(bottom), log_top = std::log10(top);
    if (x_hi - x_lo < 1e-12) x_hi = x_lo + 1.0;
    const double x_first = std::min(0.0, x_lo);
    auto x = [&](double value) { return kLeft + plot_w * (value - x_first) / (x_hi - x_first); };
    auto y = [&](double value) { return kTop + plot_h * (log_top - std::log10(value)) / (log_top - log_bottom); };

    // Grid and ticks at every m * 10^d on the axis. Labels at 1, 2 and 5 times a power of ten
    // (only the powers of ten when the axis spans more than three decades, and every tick
    // when fewer than three of 1, 2 and 5 fall on it).
    std::vector<std::pair<double, int>> ticks;  // (value, m)
    for (int decade = static_cast<int>(std::floor(log_bottom)); decade <= static_cast<int>(std::floor(log_top));
         ++decade) {
      for (int m = 1; m < 10; ++m) {
        const double value = m * std::pow(10.0, decade);
        if (value >= bottom * (1 - 1e-9) && value <= top * (1 + 1e-9)) ticks.emplace_back(value, m);
      }
    }
    const bool decades_only = log_top - log_bottom > 3;
    const auto one_two_five = std::count_if(ticks.begin(), ticks.end(), [](const auto& t) {
      return t.second == 1 || t.second == 2 || t.second == 5;
    });
    for (const auto& [value, m] : ticks) {
      const bool labelled = decades_only ? m == 1 : (one_two_five < 3 || m == 1 || m == 2 || m == 5);
      svg << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft + plot_w << "\" y1=\"" << y(value) << "\" y2=\""
          << y(value) << "\" stroke=\"" << (m == 1 ? "#bbbbbb" : "#eeeeee") << "\"/>\n";
      svg << "<line x1=\"" << kLeft - 5 << "\" x2=\"" << kLeft << "\" y1=\"" << y(value) << "\" y2=\"" << y(value)
          << "\" stroke=\"black\"/>\n";
      if (labelled) {
        svg << "<text x=\"" << kLeft - 8 << "\" y=\"" << y(value) + 4 << "\" text-anchor=\"end\">"
            << format_tick(value) << "</text>\n";
      }
    }
    const double step = nice_step(x_hi - x_first, 10);
    for (double tick = std::ceil(x_first / step) * step; tick <= x_hi + 1e-9 * step; tick += step) {
      svg << "<line x1=\"" << x(tick) << "\" x2=\"" << x(tick) << "\" y1=\"" << kTop + plot_h << "\" y2=\""
          << kTop + plot_h + 5 << "\" stroke=\"black\"/>\n";
      svg << "<text x=\"" << x(tick) << "\" y=\"" << kTop + plot_h + 19 << "\" text-anchor=\"middle\">"
          << format_tick(tick) << "</text>\n";
    }
    for (size_t k = 0; k < series.size(); ++k) {
      const auto& s = series[k];
      const char* colour = kColours[k % 10];
      std::ostringstream points;
      points << std::fixed << std::setprecision(2);
      size_t count = 0;
      for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
        if (!(s.y[i] > 0) || !std::isfinite(s.y[i]) || !std::isfinite(s.x[i])) continue;
        points << x(s.x[i]) << ',' << y(s.y[i]) << ' ';
        ++count;
      }
      svg << "<polyline fill=\"none\" " << stroke(k) << " stroke-width=\"2\" points=\"" << points.str() << "\"/>\n";
      // Markers only where they stay readable.
      if (count <= 60) {
        for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
          if (!(s.y[i] > 0) || !std::isfinite(s.y[i]) || !std::isfinite(s.x[i])) continue;
          svg << "<circle cx=\"" << x(s.x[i]) << "\" cy=\"" << y(s.y[i]) << "\" r=\"2.5\" fill=\"" << colour
              << "\"><title>" << escape(s.label) << ": " << format_tick(s.x[i]) << ", " << format_value(s.y[i])
              << (i < s.notes.size() ? " (" + escape(s.notes[i]) + ")" : std::string()) << "</title></circle>\n";
        }
      }
    }
  }
  svg << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << plot_w << "\" height=\"" << plot_h
      << "\" fill=\"none\" stroke=\"black\"/>\n";
  if (legend) {
    const double lx = kLeft + plot_w + 14;
    for (size_t k = 0; k < series.size(); ++k) {
      const double ly = kTop + 8 + 18.0 * double(k);
      svg << "<line x1=\"" << lx << "\" x2=\"" << lx + 20 << "\" y1=\"" << ly << "\" y2=\"" << ly << "\" " << stroke(k)
          << " stroke-width=\"3\"/>\n";
      std::string label = series[k].label;
      if (label.size() > 30) label = label.substr(0, 14) + "..." + label.substr(label.size() - 13);
      svg << "<text x=\"" << lx + 26 << "\" y=\"" << ly + 4 << "\">" << escape(label) << "</text>\n";
    }
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace e3::train
