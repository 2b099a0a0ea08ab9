#include "e3/train/validation_interval.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace e3::train {

ValidationInterval parse_validation_interval(const std::string& text) {
  const auto invalid = [&]() {
    return std::invalid_argument("'" + text + "' is not an interval: give epoch, N steps (e.g. 500 steps) or X min");
  };
  if (text == "epoch") return {};
  const char* begin = text.c_str();
  char* end = nullptr;
  const double value = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(value) || !(value > 0.0)) throw invalid();
  std::string unit(end);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  if (unit.empty() || unit == "steps" || unit == "step") {
    if (std::floor(value) != value) throw invalid();
    return {ValidationInterval::Unit::steps, value};
  }
  if (unit == "min" || unit == "minutes" || unit == "minute") return {ValidationInterval::Unit::minutes, value};
  throw invalid();
}

}  // namespace e3::train
