#pragma once
// A small float64 regression problem trained with Adam through the trainer's DataParallel
// protocol (include/e3/train/data_parallel.h), shared by the test ranks and the in-process
// reference they are compared with.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "e3/train/data_parallel.h"

namespace e3::testing::toy {

/// A 3 -> 16 -> 16 -> 1 tanh MLP in float64, initialized from `seed`.
torch::nn::Sequential make_model(uint64_t seed);

/// The global batches, in order: positions into the data, of unequal sizes (the first has
/// a single molecule, so that every other rank has no gradient in the first step).
std::vector<std::vector<int64_t>> batches();

/// The parameters after training a model built from `seed` on batches() as rank
/// `data_parallel.rank()`: attach and broadcast, then per batch zero the gradients, backward
/// the shard's weighted mean squared error, sum_gradients, step. Copies, in model order.
/// `before_step(s)`, when given, runs before step s (from 0): the tests' faults.
std::vector<torch::Tensor> train(uint64_t seed, train::DataParallel& data_parallel,
                                 const std::function<void(size_t)>& before_step = {});

/// The seed of rank 0 (the one whose initialization broadcast() spreads).
constexpr uint64_t kSeed = 1000;

}  // namespace e3::testing::toy
