#include "e3/nn/kernel_plan.h"

#include <gtest/gtest.h>

#include <cmath>

namespace e3::nn {
namespace {

TEST(KernelPlan, PathsOfL1NetLayer) {
  // 64x0+21x1 -> 64x0 + 21x0 (gates) + 21x1 with l_f <= 2.
  const KernelPlan plan(o3::Rs::parse("64x0+21x1"), o3::Rs::parse("64x0+21x0+21x1"), 2);
  ASSERT_EQ(plan.groups().size(), 2u);
  // Scalars (both entries, one group of 85 channels): 0 x 0 -> 0 and 1 x 1 -> 0.
  const auto& scalars = plan.groups()[0];
  EXPECT_EQ(scalars.paths.size(), 2u);
  EXPECT_EQ(scalars.columns, 64 + 21);
  EXPECT_EQ(scalars.mul_out, 85);
  ASSERT_EQ(scalars.slices.size(), 2u);
  EXPECT_EQ(scalars.slices[1].out_offset, 64);
  EXPECT_EQ(scalars.slices[1].first_channel, 64);
  // Vectors: 0 x 1 -> 1, and 1 x {0, 1, 2} -> 1.
  const auto& vectors = plan.groups()[1];
  ASSERT_EQ(vectors.paths.size(), 4u);
  EXPECT_EQ(vectors.columns, 64 + 3 * 21);
  EXPECT_EQ(vectors.paths[1].l_filter, 0);
  EXPECT_EQ(vectors.paths[3].l_filter, 2);
  EXPECT_EQ(vectors.paths[3].column, 64 + 2 * 21);
  EXPECT_EQ(vectors.slices[0].out_offset, 85);
  EXPECT_EQ(plan.num_weights(), 85 * 85 + 127 * 21);
  EXPECT_EQ(vectors.weight_offset, 85 * 85);
  EXPECT_EQ(plan.harmonics_dim(), 9);
  EXPECT_EQ(plan.num_paths(), 2 + 4);
}

TEST(KernelPlan, EntriesOfOneOrderShareAGroupWhereverTheyStand) {
  const KernelPlan plan(o3::Rs::parse("2x0+1x1"), o3::Rs::parse("1x1+3x0+2x1"), 1);
  ASSERT_EQ(plan.groups().size(), 2u);
  EXPECT_EQ(plan.groups()[0].l_out, 1);
  EXPECT_EQ(plan.groups()[0].mul_out, 3);
  ASSERT_EQ(plan.groups()[0].slices.size(), 2u);
  EXPECT_EQ(plan.groups()[0].slices[1].out_offset, 6);
  EXPECT_EQ(plan.groups()[0].slices[1].first_channel, 1);
}

TEST(KernelPlan, NormalizationConstants) {
  const KernelPlan plan(o3::Rs::parse("4x0+2x1"), o3::Rs::parse("3x1"), 1, o3::ShNormalization::integral, 9.0);
  // P = 4 (0 x 1 -> 1) + 2 (1 x 0 -> 1) + 2 (1 x 1 -> 1) = 8: n^2 = 4 pi / (8 * 9).
  for (const auto& path : plan.groups()[0].paths) EXPECT_NEAR(path.norm, std::sqrt(4 * M_PI / 72.0), 1e-15);
  const KernelPlan component(o3::Rs::parse("4x0+2x1"), o3::Rs::parse("3x1"), 1, o3::ShNormalization::component, 9.0);
  EXPECT_NEAR(component.groups()[0].paths[0].norm, std::sqrt(1.0 / 72.0), 1e-15);
}

TEST(KernelPlan, ParitySelectsPaths) {
  // 1o x Y^1 (odd) -> even outputs only; 1o x Y^0 -> 1o; 1o x Y^2 (even) -> odd outputs.
  // 1o and 1e are different groups.
  const KernelPlan plan(o3::Rs::parse("1x1o"), o3::Rs::parse("1x0e+1x1o+1x1e+1x2e"), 2);
  ASSERT_EQ(plan.groups().size(), 4u);
  EXPECT_EQ(plan.groups()[0].paths.size(), 1u);  // 0e from l_f = 1
  EXPECT_EQ(plan.groups()[1].paths.size(), 2u);  // 1o from l_f = 0, 2
  EXPECT_EQ(plan.groups()[2].paths.size(), 1u);  // 1e from l_f = 1
  EXPECT_EQ(plan.groups()[3].paths.size(), 1u);  // 2e from l_f = 1
  EXPECT_THROW(KernelPlan(o3::Rs::parse("1x0e"), o3::Rs::parse("1x0o"), 0), std::invalid_argument);
}

TEST(KernelPlan, RejectsUnreachableOutputsAndMixedParity) {
  EXPECT_THROW(KernelPlan(o3::Rs::parse("4x0"), o3::Rs::parse("1x3"), 2), std::invalid_argument);
  EXPECT_THROW(KernelPlan(o3::Rs::parse("4x0e"), o3::Rs::parse("1x0"), 2), std::invalid_argument);
  EXPECT_THROW(KernelPlan(o3::Rs::parse("4x0"), o3::Rs::parse("1x0"), 2, o3::ShNormalization::integral, 0.0),
               std::invalid_argument);
}

}  // namespace
}  // namespace e3::nn
