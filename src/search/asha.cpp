#include "e3/search/asha.h"

#include <algorithm>
#include <stdexcept>

namespace e3::search {

std::vector<int64_t> asha_rungs(const AshaOptions& options, int64_t epochs) {
  if (options.reduction_factor < 2) throw std::invalid_argument("ASHA's reduction factor must be at least 2");
  if (options.min_epochs < 1) throw std::invalid_argument("ASHA's minimum resource must be at least 1 epoch");
  std::vector<int64_t> rungs;
  for (int64_t rung = options.min_epochs; rung < epochs; rung *= options.reduction_factor) rungs.push_back(rung);
  return rungs;
}

bool asha_continues(double score, std::vector<double> rung_scores, int64_t reduction_factor) {
  const auto n = static_cast<int64_t>(rung_scores.size());
  if (n < reduction_factor) return true;
  const auto kept = static_cast<size_t>(n / reduction_factor);
  std::nth_element(rung_scores.begin(), rung_scores.begin() + static_cast<std::ptrdiff_t>(kept - 1), rung_scores.end());
  return score <= rung_scores[kept - 1];
}

}  // namespace e3::search
