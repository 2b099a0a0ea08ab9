// float32 -> bfloat16 as the bf16-mixed GEMMs' inputs are converted (src/nn/bf16_gemm.h):
// round to nearest, ties to even, on chosen values and against a rounding worked out from the
// two neighbouring bfloat16 values; the AVX512_BF16 instruction and the plain C++ conversion
// give the same bits.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <ios>
#include <random>
#include <vector>

#include "nn/bf16_gemm.h"

namespace e3::nn::blas {
namespace {

float from_bits(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// Both conversions of `values`: the plain C++ one and to_bfloat16 (AVX512_BF16's instruction
// where the CPU has it). The values are repeated to 64 so that the instruction's 32-wide loop,
// not the scalar tail, converts them.
struct Converted {
  std::vector<uint16_t> scalar, dispatched;
};

Converted convert(const std::vector<float>& values) {
  std::vector<float> repeated;
  while (repeated.size() < 64) repeated.insert(repeated.end(), values.begin(), values.end());
  Converted out{std::vector<uint16_t>(repeated.size()), std::vector<uint16_t>(repeated.size())};
  to_bfloat16_scalar(repeated.data(), int64_t(repeated.size()), out.scalar.data());
  to_bfloat16(repeated.data(), int64_t(repeated.size()), out.dispatched.data());
  return out;
}

struct Case {
  uint32_t float_bits;
  uint16_t bfloat16_bits;
  const char* what;
};

TEST(Bfloat16Conversion, ChosenValuesRoundToNearestTiesToEven) {
  const std::vector<Case> cases = {
      {0x3f800000u, 0x3f80u, "1 is exact"},
      {0x3f807fffu, 0x3f80u, "just below half an ulp rounds down"},
      {0x3f808001u, 0x3f81u, "just above half an ulp rounds up"},
      {0x3f808000u, 0x3f80u, "a tie rounds to the even 0x3f80"},
      {0x3f818000u, 0x3f82u, "a tie rounds to the even 0x3f82, up"},
      {0xbf818000u, 0xbf82u, "negative ties likewise"},
      {0x3f80ffffu, 0x3f81u, "rounding up within the binade"},
      {0x3fffffffu, 0x4000u, "rounding up into the next binade"},
      {0x7f7fffffu, 0x7f80u, "the largest float32 rounds to infinity"},
      {0x7f7f7fffu, 0x7f7fu, "the largest bfloat16 stays finite"},
      {0x7f800000u, 0x7f80u, "+infinity"},
      {0xff800000u, 0xff80u, "-infinity"},
      {0x7fc00000u, 0x7fc0u, "a quiet NaN"},
      {0xffc12345u, 0xffc1u, "a negative NaN keeps its sign and leading payload"},
      {0x7f800001u, 0x7fc0u, "a signalling NaN whose payload is in the dropped bits stays a NaN (quiet)"},
      {0x00000000u, 0x0000u, "+0"},
      {0x80000000u, 0x8000u, "-0"},
      {0x00000001u, 0x0000u, "the smallest subnormal becomes +0"},
      {0x00018000u, 0x0000u, "a subnormal that bfloat16 could hold becomes +0 too (treated as zero)"},
      {0x807fffffu, 0x8000u, "the largest negative subnormal becomes -0"},
      {0x00800000u, 0x0080u, "the smallest normal is exact"},
      {0x00808000u, 0x0080u, "a tie at the smallest normal rounds to even"},
  };
  std::vector<float> values;
  for (const auto& c : cases) values.push_back(from_bits(c.float_bits));
  const auto converted = convert(values);
  for (size_t i = 0; i < converted.scalar.size(); ++i) {
    const auto& c = cases[i % cases.size()];
    EXPECT_EQ(converted.scalar[i], c.bfloat16_bits) << std::hex << c.float_bits << ": " << c.what;
    EXPECT_EQ(converted.dispatched[i], c.bfloat16_bits)
        << std::hex << c.float_bits << ": " << c.what
        << (__builtin_cpu_supports("avx512bf16") ? " (AVX512_BF16)" : " (plain C++)");
  }
}

// Every finite normal float32 lies between two neighbouring bfloat16 values, `below` (its bits
// with the low 16 cleared, for positive values) and the next one up; the nearer one is the
// rounding, and on a tie the one with an even last bit. Worked out in double, where both
// neighbours and the value are exact.
uint16_t nearest_bfloat16(uint32_t bits) {
  const uint32_t sign = bits & 0x80000000u, magnitude = bits & 0x7fffffffu;
  const uint32_t below = magnitude & 0xffff0000u;
  const double value = from_bits(magnitude), low = from_bits(below);
  // The next bfloat16 above the largest finite one is infinity; as a value, 2^128.
  const double high = below == 0x7f7f0000u ? std::ldexp(1.0, 128) : double(from_bits(below + 0x10000u));
  const double down = value - low, up = high - value;
  const bool round_up = up < down || (up == down && ((below >> 16) & 1u));
  return static_cast<uint16_t>((sign | (round_up ? below + 0x10000u : below)) >> 16);
}

TEST(Bfloat16Conversion, RandomNormalValuesRoundToTheNearestNeighbour) {
  std::mt19937 random(7);
  std::uniform_int_distribution<uint32_t> bits_of(0u, 0xffffffffu);
  std::vector<float> values;
  std::vector<uint16_t> expected;
  while (values.size() < 100000) {
    const uint32_t bits = bits_of(random);
    const uint32_t exponent = (bits >> 23) & 0xffu;
    if (exponent == 0 || exponent == 0xff) continue;  // normal values only: the chosen values cover the rest
    values.push_back(from_bits(bits));
    expected.push_back(nearest_bfloat16(bits));
  }
  std::vector<uint16_t> scalar(values.size()), dispatched(values.size());
  to_bfloat16_scalar(values.data(), int64_t(values.size()), scalar.data());
  to_bfloat16(values.data(), int64_t(values.size()), dispatched.data());
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(scalar[i], expected[i]) << std::hexfloat << values[i];
    ASSERT_EQ(dispatched[i], expected[i]) << std::hexfloat << values[i];
  }
}

}  // namespace
}  // namespace e3::nn::blas
