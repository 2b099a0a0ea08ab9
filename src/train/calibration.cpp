#include "e3/train/calibration.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace e3::train {
namespace {

// The ranks of `values` from 1, ties given their mean rank.
std::vector<double> ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t i, size_t j) { return values[i] < values[j]; });
  std::vector<double> rank(values.size());
  for (size_t start = 0; start < order.size();) {
    size_t end = start + 1;
    while (end < order.size() && values[order[end]] == values[order[start]]) ++end;
    const double mean_rank = 0.5 * static_cast<double>(start + 1 + end);  // of ranks start+1 ... end
    for (size_t i = start; i < end; ++i) rank[order[i]] = mean_rank;
    start = end;
  }
  return rank;
}

}  // namespace

double spearman_correlation(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.size() < 2) {
    throw std::invalid_argument("spearman_correlation: two series of one length of at least 2");
  }
  const auto ra = ranks(a), rb = ranks(b);
  const double n = static_cast<double>(a.size());
  const double mean = (n + 1) / 2;  // the mean rank, ties or not
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < ra.size(); ++i) {
    ab += (ra[i] - mean) * (rb[i] - mean);
    aa += (ra[i] - mean) * (ra[i] - mean);
    bb += (rb[i] - mean) * (rb[i] - mean);
  }
  if (aa == 0 || bb == 0) return std::nan("");
  return ab / std::sqrt(aa * bb);
}

Calibration calibration(const std::vector<double>& predictions, const std::vector<double>& spread,
                        const std::vector<double>& targets) {
  if (predictions.empty() || predictions.size() != spread.size() || predictions.size() != targets.size()) {
    throw std::invalid_argument("calibration: predictions, standard deviations and targets of one length, not empty");
  }
  Calibration result;
  result.count = static_cast<int64_t>(predictions.size());
  std::vector<double> errors(predictions.size());
  int64_t one = 0, two = 0;
  for (size_t i = 0; i < predictions.size(); ++i) {
    errors[i] = std::abs(predictions[i] - targets[i]);
    one += errors[i] <= spread[i];
    two += errors[i] <= 2 * spread[i];
    result.mean_std += spread[i];
    result.mean_error += errors[i];
  }
  const double n = static_cast<double>(result.count);
  result.within_one_std = static_cast<double>(one) / n;
  result.within_two_std = static_cast<double>(two) / n;
  result.mean_std /= n;
  result.mean_error /= n;
  result.spearman = result.count >= 2 ? spearman_correlation(spread, errors) : std::nan("");
  return result;
}

}  // namespace e3::train
