#include "e3/train/learning_curve.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace e3::train {
namespace {

constexpr double kWidth = 640, kHeight = 420;
constexpr double kLeft = 80, kRight = 20, kTop = 40, kBottom = 50;

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

std::string format_value(double value) {
  std::ostringstream out;
  out << std::setprecision(3) << value;
  return out.str();
}

}  // namespace

std::string learning_curve_svg(const std::vector<EpochRecord>& history, const std::string& title,
                               const std::string& unit) {
  std::ostringstream svg;
  svg << std::fixed << std::setprecision(2);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg << "<text x=\"" << kWidth / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">" << escape(title)
      << "</text>\n";
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  svg << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << plot_w << "\" height=\"" << plot_h
      << "\" fill=\"none\" stroke=\"black\"/>\n";
  svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kHeight - 12 << "\" text-anchor=\"middle\">epoch</text>\n";
  svg << "<text transform=\"translate(18," << kTop + plot_h / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
      << "validation MAE (" << escape(unit) << ", log scale)</text>\n";

  std::vector<const EpochRecord*> points;
  for (const auto& r : history) {
    if (r.val_mae > 0 && std::isfinite(r.val_mae)) points.push_back(&r);
  }
  if (!points.empty()) {
    // Decades that contain every value: the log axis runs from 10^low to 10^high.
    double lo = points[0]->val_mae, hi = lo;
    for (const auto* p : points) lo = std::min(lo, p->val_mae), hi = std::max(hi, p->val_mae);
    const int low = static_cast<int>(std::floor(std::log10(lo)));
    const int high = std::max(low + 1, static_cast<int>(std::ceil(std::log10(hi))));
    const double first = double(points.front()->epoch), last = double(std::max(points.back()->epoch, int64_t(2)));
    auto x = [&](double epoch) { return kLeft + plot_w * (epoch - first) / std::max(1.0, last - first); };
    auto y = [&](double value) { return kTop + plot_h * (high - std::log10(value)) / double(high - low); };

    for (int decade = low; decade <= high; ++decade) {
      for (int m = 1; m < 10 && (decade < high || m == 1); ++m) {
        const double value = m * std::pow(10.0, decade);
        svg << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft + plot_w << "\" y1=\"" << y(value) << "\" y2=\""
            << y(value) << "\" stroke=\"" << (m == 1 ? "#bbbbbb" : "#eeeeee") << "\"/>\n";
      }
      svg << "<text x=\"" << kLeft - 6 << "\" y=\"" << y(std::pow(10.0, decade)) + 4 << "\" text-anchor=\"end\">"
          << format_value(std::pow(10.0, decade)) << "</text>\n";
    }
    const int64_t step = std::max<int64_t>(1, (points.back()->epoch - points.front()->epoch) / 10);
    for (int64_t epoch = points.front()->epoch; epoch <= points.back()->epoch; epoch += step) {
      svg << "<text x=\"" << x(double(epoch)) << "\" y=\"" << kTop + plot_h + 18 << "\" text-anchor=\"middle\">"
          << epoch << "</text>\n";
    }
    svg << "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"";
    for (const auto* p : points) svg << x(double(p->epoch)) << ',' << y(p->val_mae) << ' ';
    svg << "\"/>\n";
    for (const auto* p : points) {
      svg << "<circle cx=\"" << x(double(p->epoch)) << "\" cy=\"" << y(p->val_mae) << "\" r=\"3\" fill=\"#1f77b4\">"
          << "<title>epoch " << p->epoch << ": " << format_value(p->val_mae) << ' ' << escape(unit)
          << "</title></circle>\n";
    }
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace e3::train
