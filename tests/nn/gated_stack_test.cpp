// The stack builder of every network: its layers and the data-dependent initialization.

#include "e3/nn/gated_stack.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "random_graph.h"

namespace e3::nn {
namespace {

KernelOptions kernel_options() {
  return KernelOptions().lf_max(2).num_bases(10).radial_hidden(16).radial_layers(2).avg_num_neighbors(4.0);
}

TEST(GatedStack, MapsInputToRepresentationWithResidualsAfterTheFirstLayer) {
  GatedStack stack(GatedStackOptions(o3::Rs::parse("4x0"), o3::Rs::parse("4x0+2x1"), 3).kernel(kernel_options()));
  ASSERT_EQ(stack->layers.size(), 3u);
  EXPECT_EQ(stack->rs_out(), o3::Rs::parse("4x0+2x1"));
  EXPECT_EQ(stack->layers[0]->options.rs_in(), o3::Rs::parse("4x0"));
  EXPECT_FALSE(stack->layers[0]->has_residual());
  EXPECT_TRUE(stack->layers[1]->has_residual());
  EXPECT_TRUE(stack->layers[2]->has_residual());
  EXPECT_EQ(stack->named_parameters().size(), 3u * stack->layers[1]->named_parameters().size());
}

TEST(GatedStack, ZeroLayersIsTheIdentity) {
  GatedStack stack(GatedStackOptions(o3::Rs::parse("3x0+1x1"), o3::Rs::parse("8x0"), 0).kernel(kernel_options()));
  EXPECT_EQ(stack->rs_out(), o3::Rs::parse("3x0+1x1"));
  EXPECT_TRUE(stack->parameters().empty());
  const auto cloud = testing::random_cloud({5, 4}, 3.0, 2, 1.2);
  RadialBasis basis(RadialBasisOptions(RadialBasisType::cosine, 10, 3.0));
  const auto edges = embed_edges(cloud.graph, cloud.positions.to(torch::kFloat), basis, 2);
  const auto features = torch::randn({cloud.positions.size(0), 6});
  EXPECT_TRUE(torch::equal(stack->forward(features, edges), features));
}

TEST(GatedStack, NegativeLayerCountIsRejected) {
  EXPECT_THROW(GatedStack(GatedStackOptions(o3::Rs::parse("1x0"), o3::Rs::parse("1x0"), -1)), std::invalid_argument);
}

TEST(GatedStack, CalibrationGivesUnitSecondMomentsOnItsData) {
  // Identical inputs on every atom: the messages of neighbours are as correlated as can be,
  // which (B.7) does not assume, so the uncalibrated outputs are far from unit scale.
  torch::manual_seed(4);
  GatedStack stack(GatedStackOptions(o3::Rs::parse("4x0"), o3::Rs::parse("4x0+2x1+1x2"), 3).kernel(kernel_options()));
  RadialBasis basis(RadialBasisOptions(RadialBasisType::cosine, 10, 3.0));
  stack->to(torch::kDouble);
  const auto cloud = testing::random_cloud({9, 12, 7}, 3.3, 21, 1.2);
  const auto edges = embed_edges(cloud.graph, cloud.positions, basis, 2);
  const auto features = torch::ones({cloud.positions.size(0), 4}, torch::kDouble);

  torch::NoGradGuard no_grad;
  const double before = stack->layers[0]->conv->forward(features, edges).pow(2).mean().item<double>();
  EXPECT_GT(std::abs(before - 1.0), 0.5) << "the test needs inputs that (B.7) does not normalize";
  const auto output = stack->calibrate(features, edges);
  EXPECT_TRUE(torch::allclose(output, stack->forward(features, edges)));
  auto x = features;
  for (auto& layer : stack->layers) {
    const auto conv_out = layer->conv->forward(x, edges);
    const auto& rs = layer->conv->options.rs_out();
    const auto offsets = rs.offsets();
    for (size_t i = 0; i < rs.size(); ++i) {
      EXPECT_NEAR(conv_out.narrow(1, offsets[i], rs[i].dim()).pow(2).mean().item<double>(), 1.0, 1e-9) << rs.str();
    }
    x = layer->forward(x, edges);
  }
}

}  // namespace
}  // namespace e3::nn
