// Gradients in buckets: grouping by size, dtype and device, gradients as aliases of the
// buckets through backward, zero_grad and Adam, zeros for a missing gradient, replaced ones.

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

TEST(GradientBuckets, GradientsBecomeAliasesOfTheBuckets) {
  auto parameters = make_parameters();
  std::vector<torch::Tensor> before;
  for (size_t i = 0; i < parameters.size(); ++i) {
    if (i != 3) parameters[i].mutable_grad() = torch::randn_like(parameters[i]);
    before.push_back(i != 3 ? parameters[i].grad().clone() : torch::zeros_like(parameters[i]));
  }
  GradientBuckets buckets(parameters, 1 << 20);
  auto& first = buckets.prepare(0);
  EXPECT_TRUE(torch::equal(first, torch::cat({before[0].reshape(-1), before[1].reshape(-1)})));
  auto& second = buckets.prepare(1);
  EXPECT_TRUE(torch::equal(second, torch::cat({before[2].reshape(-1), torch::zeros({30}), before[4].reshape(-1)})));
  ASSERT_TRUE(parameters[3].grad().defined());  // created, as an alias
  // What happens to a bucket (the allreduce) happens to the gradients.
  second.mul_(2);
  EXPECT_TRUE(torch::equal(parameters[2].grad(), 2 * before[2]));
  EXPECT_TRUE(torch::equal(parameters[4].grad(), 2 * before[4]));
  // Backward accumulating into a gradient, and zero_grad(), work in place.
  {
    torch::NoGradGuard no_grad;
    parameters[0].mutable_grad() += 1;
  }
  EXPECT_TRUE(torch::equal(buckets.prepare(0).narrow(0, 0, 12), before[0].reshape(-1) + 1));
  // A gradient replaced by another tensor, or reset, is copied back in.
  parameters[1].mutable_grad() = torch::full({5}, 7.0, torch::kFloat64);
  parameters[0].mutable_grad() = torch::Tensor();
  EXPECT_TRUE(torch::equal(buckets.prepare(0), torch::cat({torch::zeros({12}, torch::kFloat64),
                                                           torch::full({5}, 7.0, torch::kFloat64)})));
  buckets.prepare(0).add_(1);
  EXPECT_TRUE(torch::equal(parameters[1].grad(), torch::full({5}, 8.0, torch::kFloat64)));
  EXPECT_TRUE(torch::equal(parameters[0].grad(), torch::ones({3, 4}, torch::kFloat64)));
}

TEST(GradientBuckets, BackwardAndAdamKeepTheAliases) {
  auto parameters = make_parameters();
  GradientBuckets buckets(parameters, 1 << 20);
  torch::optim::Adam adam(parameters, torch::optim::AdamOptions(1e-3));
  const void* bucket = buckets.prepare(0).data_ptr();
  for (int step = 0; step < 2; ++step) {
    adam.zero_grad();
    (parameters[0].sum() * 3 + parameters[3].pow(2).sum()).backward();
    EXPECT_EQ(parameters[0].grad().data_ptr(), bucket);  // still the alias, before prepare() could fix it
    EXPECT_TRUE(torch::equal(buckets.prepare(0).narrow(0, 0, 12), torch::full({12}, 3.0, torch::kFloat64)));
    adam.step();
  }
}

}  // namespace
}  // namespace e3::dist
