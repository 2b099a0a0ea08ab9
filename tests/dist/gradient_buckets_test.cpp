// Packing gradients into buckets: grouping by size, dtype and device, zeros for a missing
// gradient, and the way back.

#include "e3/dist/gradient_buckets.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace e3::dist {
namespace {

std::vector<torch::Tensor> make_parameters() {
  return {torch::randn({3, 4}, torch::kFloat64).requires_grad_(),  // 96 bytes
          torch::randn({5}, torch::kFloat64).requires_grad_(),     // 40
          torch::randn({2, 2}, torch::kFloat32).requires_grad_(),  // 16, another dtype
          torch::randn({30}, torch::kFloat32).requires_grad_(),    // 120, larger than a bucket
          torch::randn({2}, torch::kFloat32).requires_grad_()};
}

TEST(GradientBuckets, GroupsBySizeAndDtype) {
  const GradientBuckets buckets(make_parameters(), 100);
  ASSERT_EQ(buckets.size(), 5u);
  EXPECT_EQ(buckets.members(0), std::vector<size_t>{0});
  EXPECT_EQ(buckets.members(1), std::vector<size_t>{1});
  EXPECT_EQ(buckets.members(2), std::vector<size_t>{2});
  EXPECT_EQ(buckets.members(3), std::vector<size_t>{3});
  EXPECT_EQ(buckets.members(4), std::vector<size_t>{4});
  const GradientBuckets large(make_parameters(), 1 << 20);
  ASSERT_EQ(large.size(), 2u);
  EXPECT_EQ(large.members(0), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(large.members(1), (std::vector<size_t>{2, 3, 4}));
}

TEST(GradientBuckets, GatherAndScatter) {
  auto parameters = make_parameters();
  for (size_t i = 0; i < parameters.size(); ++i) {
    if (i != 3) parameters[i].mutable_grad() = torch::randn_like(parameters[i]);
  }
  GradientBuckets buckets(parameters, 1 << 20);
  const auto first = buckets.gather(0).clone();
  EXPECT_TRUE(torch::equal(first, torch::cat({parameters[0].grad().reshape(-1), parameters[1].grad().reshape(-1)})));
  auto& second = buckets.gather(1);
  EXPECT_TRUE(torch::equal(
      second, torch::cat({parameters[2].grad().reshape(-1), torch::zeros({30}), parameters[4].grad().reshape(-1)})));
  second.mul_(2);
  const auto doubled = second.clone();
  buckets.scatter(1);
  ASSERT_TRUE(parameters[3].grad().defined());  // created from the bucket
  EXPECT_TRUE(torch::equal(torch::cat({parameters[2].grad().reshape(-1), parameters[3].grad().reshape(-1),
                                       parameters[4].grad().reshape(-1)}),
                           doubled));
  EXPECT_EQ(parameters[3].grad().sizes(), parameters[3].sizes());
}

}  // namespace
}  // namespace e3::dist
