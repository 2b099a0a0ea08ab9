#include "e3/data/numbers.h"

#include <charconv>
#include <string>

namespace e3::data {
namespace {

// std::from_chars over the whole token (it takes no '+' sign, so one is skipped here).
std::optional<double> whole_token_double(std::string_view token) {
  if (token.size() > 1 && token[0] == '+' && token[1] != '-' && token[1] != '+') token.remove_prefix(1);
  double value = 0.0;
  const char* end = token.data() + token.size();
  const auto [stop, error] = std::from_chars(token.data(), end, value, std::chars_format::general);
  if (error != std::errc() || stop != end) return std::nullopt;
  return value;
}

}  // namespace

std::optional<double> parse_real(std::string_view token) {
  const size_t mathematica = token.find("*^");
  if (mathematica == std::string_view::npos) return whole_token_double(token);
  // "m*^e" means m * 10^e: rewrite it as "me" followed by the exponent and parse that, so
  // that the value is rounded exactly like the same number written with 'e'.
  const std::string_view mantissa = token.substr(0, mathematica);
  const std::string_view exponent = token.substr(mathematica + 2);
  if (mantissa.empty() || mantissa.find_first_of("eE") != std::string_view::npos || !parse_integer(exponent)) {
    return std::nullopt;
  }
  std::string rewritten;
  rewritten.reserve(token.size());
  rewritten.append(mantissa).append("e").append(exponent);
  return whole_token_double(rewritten);
}

std::optional<int64_t> parse_integer(std::string_view token) {
  if (token.size() > 1 && token[0] == '+' && token[1] != '-' && token[1] != '+') token.remove_prefix(1);
  int64_t value = 0;
  const char* end = token.data() + token.size();
  const auto [stop, error] = std::from_chars(token.data(), end, value);
  if (error != std::errc() || stop != end || token.empty()) return std::nullopt;
  return value;
}

}  // namespace e3::data
