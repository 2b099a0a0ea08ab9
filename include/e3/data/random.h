#pragma once
// Platform-independent randomness for splits and epoch orders.
//
// std::mt19937_64 is fully specified by the standard, but std::shuffle and
// std::uniform_int_distribution are not (libstdc++ and libc++ give different orders). These
// functions are, so a seed gives the same split and the same batches on every machine.

#include <cstdint>
#include <random>
#include <vector>

namespace e3::data {

/// A uniformly distributed integer in [0, bound) (bound >= 1), by rejection: no modulo bias.
uint64_t uniform_below(uint64_t bound, std::mt19937_64& engine);

/// Fisher–Yates shuffle of `values` (from the last element down, each swapped with a uniform
/// earlier-or-same position).
void shuffle(std::vector<size_t>& values, std::mt19937_64& engine);

/// A seed for an independent stream `stream` of `seed` (SplitMix64 finalizer over both), so
/// that, e.g., every epoch's order depends on (seed, epoch) only.
uint64_t derive_seed(uint64_t seed, uint64_t stream);

}  // namespace e3::data
