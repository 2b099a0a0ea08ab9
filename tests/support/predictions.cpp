#include "predictions.h"

#include <gtest/gtest.h>

#include <cmath>

namespace e3::testing {
namespace {

// Expects `actual` to be `expected` to float32 rounding, then makes it exactly `expected`.
void expect_near_value(nlohmann::json& actual, const nlohmann::json& expected, const std::string& where) {
  if (!expected.is_number() || !actual.is_number()) return;
  const double a = actual.get<double>(), b = expected.get<double>();
  EXPECT_NEAR(a, b, 1e-6 * std::abs(b)) << where;
  actual = expected;
}

}  // namespace

void expect_same_prediction(const nlohmann::json& actual, const nlohmann::json& expected, const std::string& where) {
  auto rounded = actual;
  if (expected.contains("value") && rounded.contains("value")) expect_near_value(rounded["value"], expected["value"], where);
  if (expected.contains("values") && rounded.contains("values") && expected["values"].is_object()) {
    for (const auto& [name, value] : expected["values"].items()) {
      if (rounded["values"].contains(name)) expect_near_value(rounded["values"][name], value, where + " " + name);
    }
  }
  EXPECT_EQ(rounded, expected) << where;
}

}  // namespace e3::testing
