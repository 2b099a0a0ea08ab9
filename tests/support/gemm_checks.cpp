#include "gemm_checks.h"

#include <cmath>

namespace e3::testing {

std::vector<float> normal_floats(size_t count, std::mt19937& generator) {
  std::normal_distribution<float> normal;
  std::vector<float> values(count);
  for (auto& value : values) value = normal(generator);
  return values;
}

double float32_sum_gamma(int64_t k) {
  const double u = std::ldexp(1.0, -24);
  return double(k) * u / (1.0 - double(k) * u);
}

}  // namespace e3::testing
