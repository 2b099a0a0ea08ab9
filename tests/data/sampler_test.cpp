#include "e3/data/sampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace e3::data {
namespace {

std::vector<size_t> flatten(const std::vector<std::vector<size_t>>& batches) {
  std::vector<size_t> all;
  for (const auto& batch : batches) all.insert(all.end(), batch.begin(), batch.end());
  return all;
}

std::vector<size_t> range(size_t first, size_t count) {
  std::vector<size_t> values(count);
  std::iota(values.begin(), values.end(), first);
  return values;
}

TEST(DataSampler, BatchSizesAndCoverage) {
  const BatchSampler sampler(range(100, 50), 16, true, 3);
  EXPECT_EQ(sampler.num_batches(), 4u);
  const auto batches = sampler.epoch(0);
  ASSERT_EQ(batches.size(), 4u);
  EXPECT_EQ(batches[0].size(), 16u);
  EXPECT_EQ(batches[3].size(), 2u);
  auto all = flatten(batches);
  EXPECT_NE(all, range(100, 50));  // shuffled
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, range(100, 50));  // every index exactly once
}

TEST(DataSampler, EpochOrderDependsOnlyOnSeedAndEpoch) {
  const BatchSampler sampler(range(0, 200), 16, true, 11);
  const BatchSampler resumed(range(0, 200), 16, true, 11);  // a run restarted from a checkpoint
  EXPECT_EQ(sampler.epoch(5), resumed.epoch(5));
  EXPECT_EQ(sampler.epoch(5), sampler.epoch(5));
  EXPECT_NE(sampler.epoch(5), sampler.epoch(6));
  EXPECT_NE(sampler.epoch(5), BatchSampler(range(0, 200), 16, true, 12).epoch(5));
}

TEST(DataSampler, UnshuffledForEvaluation) {
  const std::vector<size_t> indices = {9, 4, 7, 1, 3};
  const BatchSampler sampler(indices, 2, false);
  EXPECT_EQ(sampler.epoch(0), (std::vector<std::vector<size_t>>{{9, 4}, {7, 1}, {3}}));
  EXPECT_EQ(sampler.epoch(7), sampler.epoch(0));
  EXPECT_THROW(BatchSampler(indices, 0, false), std::invalid_argument);
  EXPECT_TRUE(BatchSampler({}, 4, true).epoch(0).empty());
}

}  // namespace
}  // namespace e3::data
