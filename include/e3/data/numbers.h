#pragma once
// Number parsing for data files: locale-independent, whole-token, and fast enough to read
// the 2 million atom lines of QM9 in well under a second.

#include <cstdint>
#include <optional>
#include <string_view>

namespace e3::data {

/// The real number a whole token spells: decimal ("0.", "-1.5", ".5", "+2") or scientific
/// ("1.2e-6", "1.2E-6"), including Mathematica's exponent notation of QM9's original files
/// ("1.2*^-6" = 1.2e-6). "nan" and "inf" parse to NaN and infinity (callers that need finite
/// values check and say so). nullopt when the token is not a number.
std::optional<double> parse_real(std::string_view token);

/// The integer a whole token spells (optional sign, decimal digits); nullopt otherwise
/// (including overflow).
std::optional<int64_t> parse_integer(std::string_view token);

}  // namespace e3::data
