#include "e3/search/components.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace e3::search {

std::string ComponentSplit::rs() const {
  return std::to_string(scalars) + "x0+" + std::to_string(vectors) + "x1";
}

ComponentSplit split_components(int64_t components, double p) {
  if (components < 4) throw std::invalid_argument("(3.4) needs at least 4 components, got " + std::to_string(components));
  if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("(3.4) needs 0 <= p <= 1, got " + std::to_string(p));
  const double c = static_cast<double>(components);
  ComponentSplit split;
  split.scalars = std::max<int64_t>(1, std::llround(p * c));
  split.vectors = std::max<int64_t>(1, std::llround((1.0 - p) * c / 3.0));
  return split;
}

}  // namespace e3::search
