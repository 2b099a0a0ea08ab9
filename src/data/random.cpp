#include "e3/data/random.h"

#include <stdexcept>
#include <utility>

namespace e3::data {
namespace {

// SplitMix64's output function (Steele, Lea, Flood 2014): a bijective mix of 64 bits.
uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t uniform_below(uint64_t bound, std::mt19937_64& engine) {
  if (bound == 0) throw std::invalid_argument("uniform_below: the bound must be positive");
  // Values below `threshold` = 2^64 mod bound would make the low residues more likely: skip them.
  const uint64_t threshold = (0 - bound) % bound;
  while (true) {
    const uint64_t r = engine();
    if (r >= threshold) return r % bound;
  }
}

void shuffle(std::vector<size_t>& values, std::mt19937_64& engine) {
  for (size_t i = values.size(); i > 1; --i) {
    const size_t j = static_cast<size_t>(uniform_below(i, engine));
    std::swap(values[i - 1], values[j]);
  }
}

uint64_t derive_seed(uint64_t seed, uint64_t stream) { return splitmix64(splitmix64(seed) ^ stream); }

}  // namespace e3::data
