// PartProfiler: which part a step's forward and backward time goes to.

#include <gtest/gtest.h>

#include <ATen/record_function.h>
#include <torch/torch.h>

#include <stdexcept>

#include "e3/perf/part_profiler.h"

namespace e3::perf {
namespace {

// A part's backward is the nodes created inside its scope: the innermost part's when scopes
// nest; nodes created outside every part (the sum, gradient accumulation) are under "".
TEST(PartProfiler, BackwardGoesToThePartThatCreatedTheNodes) {
  const auto x = torch::randn({64, 64}, torch::requires_grad());
  const PartProfiler profiler;
  torch::Tensor a, b;
  {
    RECORD_USER_SCOPE("e3::test_a");
    a = torch::mm(x, x).tanh();
  }
  {
    RECORD_USER_SCOPE("e3::test_outer");
    {
      RECORD_USER_SCOPE("e3::test_inner");
      b = a.sin();
    }
  }
  {
    RECORD_USER_SCOPE("e3::test_without_gradients");
    torch::NoGradGuard no_grad;
    (x * 2).sum();
  }
  {
    RECORD_USER_SCOPE("not_a_part");
    a = a * 3;
  }
  (a.sum() + b.sum()).backward();

  const auto& times = profiler.times();
  for (const char* part : {"e3::test_a", "e3::test_inner", "e3::test_without_gradients"}) {
    ASSERT_EQ(times.count(part), 1u) << part;
    EXPECT_GT(times.at(part).forward, 0.0) << part;
  }
  ASSERT_EQ(times.count("e3::test_outer"), 1u);
  EXPECT_GT(times.at("e3::test_a").backward, 0.0);
  EXPECT_GT(times.at("e3::test_inner").backward, 0.0);
  EXPECT_EQ(times.at("e3::test_outer").backward, 0.0);  // its only node was created in the inner part
  EXPECT_EQ(times.at("e3::test_without_gradients").backward, 0.0);
  EXPECT_EQ(times.count("not_a_part"), 0u);
  ASSERT_EQ(times.count(""), 1u);
  EXPECT_GT(times.at("").backward, 0.0);  // a * 3, the sums, accumulating x's gradient
  EXPECT_EQ(times.at("").forward, 0.0);
}

// A nested part's time is its own, not its parent's.
TEST(PartProfiler, ANestedPartsTimeIsNotItsParents) {
  const auto x = torch::randn({256, 256});
  const PartProfiler profiler;
  {
    RECORD_USER_SCOPE("e3::test_parent");
    {
      RECORD_USER_SCOPE("e3::test_child");
      for (int i = 0; i < 20; ++i) torch::mm(x, x);
    }
  }
  const auto& times = profiler.times();
  EXPECT_GT(times.at("e3::test_child").forward, 0.0);
  EXPECT_LT(times.at("e3::test_parent").forward, times.at("e3::test_child").forward);
}

TEST(PartProfiler, OneProfilerAtATimeObservesAThread) {
  {
    const PartProfiler first;
    EXPECT_THROW(PartProfiler second, std::logic_error);
  }
  {
    RECORD_USER_SCOPE("e3::test_unobserved");
    torch::ones({2}).sum();
  }
  const PartProfiler again;
  EXPECT_TRUE(again.times().empty());
}

}  // namespace
}  // namespace e3::perf
