#pragma once
// Comparing the rows of `e3cpp predict --json`.

#include <nlohmann/json.hpp>

#include <string>

namespace e3::testing {

/// Expects `actual` and `expected`, rows of `predict --json`, to be one molecule's prediction:
/// every field equal, the values (value, and each of values) to float32 rounding, a relative
/// 1e-6. The same molecule in another batch, or with another number of threads, is summed in
/// another order, and vectorized kernels treat a tensor's last elements with other instructions
/// than the rest. `where` names the row in failures.
void expect_same_prediction(const nlohmann::json& actual, const nlohmann::json& expected, const std::string& where);

}  // namespace e3::testing
