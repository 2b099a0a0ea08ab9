// Properties of whole layers: equivariance of a stack (2.55)-(2.57) and the
// normalization of Appendix B at initialization.

#include "e3/nn/gated_conv.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "e3/o3/rep.h"
#include "e3/o3/rotation.h"
#include "random_graph.h"

namespace e3::nn {
namespace {

KernelOptions kernel_options(int64_t num_bases, bool fused = true) {
  return KernelOptions().lf_max(2).num_bases(num_bases).radial_hidden(16).radial_layers(2).avg_num_neighbors(4.0).fused(fused);
}

// Three layers: scalars in, l <= 2 inside, a last layer without gate.
struct Stack : torch::nn::Module {
  explicit Stack(bool fused) {
    const auto hidden = o3::Rs::parse("4x0+2x1+1x2");
    basis = register_module("basis", RadialBasis(RadialBasisOptions(RadialBasisType::cosine, 10, 3.0)));
    layers.push_back(register_module("layer0", GatedConv(GatedConvOptions(o3::Rs::parse("4x0"), hidden).kernel(kernel_options(10, fused)))));
    layers.push_back(register_module("layer1", GatedConv(GatedConvOptions(hidden, hidden).kernel(kernel_options(10, fused)))));
    layers.push_back(register_module(
        "layer2", GatedConv(GatedConvOptions(hidden, o3::Rs::parse("2x0+2x1+1x2")).kernel(kernel_options(10, fused)).gate(false))));
  }
  torch::Tensor forward(const torch::Tensor& features, const torch::Tensor& positions, const Graph& graph) {
    const auto edges = embed_edges(graph, positions, basis, 2);
    auto x = features;
    for (auto& layer : layers) x = layer->forward(x, edges);
    return x;
  }
  RadialBasis basis = nullptr;
  std::vector<GatedConv> layers;
};

TEST(GatedConv, ResidualOnlyWhenShapesAgree) {
  GatedConv same(GatedConvOptions(o3::Rs::parse("2x0+1x1"), o3::Rs::parse("2x0+1x1")).kernel(kernel_options(5)));
  GatedConv other(GatedConvOptions(o3::Rs::parse("2x0"), o3::Rs::parse("2x0+1x1")).kernel(kernel_options(5)));
  EXPECT_TRUE(same->has_residual());
  EXPECT_FALSE(other->has_residual());
  EXPECT_EQ(same->conv->options.rs_out(), o3::Rs::parse("2x0+1x0+1x1"));  // with the gate scalar
}

void expect_equivariant(bool fused) {
  torch::manual_seed(0);
  Stack stack(fused);
  stack.to(torch::kDouble);
  const auto cloud = testing::random_cloud({6, 9, 5}, 3.3, 17, 1.2);
  const int64_t n = cloud.positions.size(0);
  auto generator = at::detail::createCPUGenerator(18);
  const auto features = torch::randn({n, 4}, generator, torch::kDouble);
  const auto output = stack.forward(features, cloud.positions, cloud.graph);

  for (int trial = 0; trial < 3; ++trial) {
    const auto angles = o3::random_angles(1, torch::kDouble, generator);
    const auto rotation = o3::rotation_matrix(angles)[0];
    const auto translation = torch::randn({1, 3}, generator, torch::kDouble) * 5;
    const auto permutation = torch::randperm(n, generator, torch::TensorOptions().dtype(torch::kLong));
    // New atom k is old atom permutation[k], rotated and translated.
    const auto positions = (torch::matmul(cloud.positions, rotation.t()) + translation).index_select(0, permutation);
    const auto molecule = cloud.molecule.index_select(0, permutation);
    const auto graph = radius_graph(positions, molecule, 3.3);
    ASSERT_EQ(graph.num_edges(), cloud.graph.num_edges());
    const auto moved = stack.forward(features.index_select(0, permutation), positions, graph);

    const auto rs_out = o3::Rs::parse("2x0+2x1+1x2");
    const auto expected = torch::matmul(output.index_select(0, permutation), o3::rep(rs_out, angles)[0].t());
    EXPECT_LT((moved - expected).abs().max().item<double>(), 1e-10);
    // Invariant outputs are unchanged, the others really do rotate.
    EXPECT_LT((moved.narrow(1, 0, 2) - output.index_select(0, permutation).narrow(1, 0, 2)).abs().max().item<double>(), 1e-10);
    EXPECT_GT((moved.narrow(1, 2, 11) - output.index_select(0, permutation).narrow(1, 2, 11)).abs().max().item<double>(), 1e-3);
  }
}

TEST(GatedConv, StackIsEquivariantToRotationTranslationPermutation) { expect_equivariant(true); }
TEST(GatedConv, ReferenceStackIsEquivariantToo) { expect_equivariant(false); }

// Second moment of each output entry of `rs` in `x` [N, dim(rs)].
std::vector<double> block_moments(const o3::Rs& rs, const torch::Tensor& x) {
  std::vector<double> moments;
  const auto offsets = rs.offsets();
  for (size_t i = 0; i < rs.size(); ++i) {
    moments.push_back(x.narrow(1, offsets[i], rs[i].dim()).pow(2).mean().item<double>());
  }
  return moments;
}

TEST(GatedConv, OutputsHaveUnitSecondMomentAtInitialization) {
  // Molecule-sized clouds (QM9-like: 10 to 25 atoms, every pair within the cutoff) and
  // Table 3.1's radial model.
  const auto cloud = testing::random_cloud({18, 12, 25, 20, 15, 10}, 11.0, 3, 1.6);
  const double neighbors = double(cloud.graph.num_edges()) / double(cloud.positions.size(0));
  RadialBasis basis(RadialBasisOptions(RadialBasisType::cosine, 50, 10.0));
  const auto edges = embed_edges(cloud.graph, cloud.positions.to(torch::kFloat), basis, 2);
  const auto kernel = KernelOptions().lf_max(2).num_bases(50).radial_hidden(128).radial_layers(2).avg_num_neighbors(neighbors);
  for (const std::string text : {"128x0", "64x0+21x1", "42x0+14x1+8x2"}) {
    const auto rs = o3::Rs::parse(text);
    for (uint64_t seed : {1, 2}) {
      torch::manual_seed(seed);
      GatedConv layer(GatedConvOptions(rs, rs).kernel(kernel).residual(false));
      const auto features = torch::randn({cloud.positions.size(0), rs.dim()});
      torch::NoGradGuard no_grad;
      const auto conv_out = layer->conv->forward(features, edges);
      for (double m : block_moments(layer->conv->options.rs_out(), conv_out)) {
        EXPECT_GE(m, 0.5) << text << " KernelConv";
        EXPECT_LE(m, 2.0) << text << " KernelConv";
      }
      for (double m : block_moments(rs, layer->forward(features, edges))) {
        EXPECT_GE(m, 0.5) << text << " KernelConv + Gate";
        EXPECT_LE(m, 2.0) << text << " KernelConv + Gate";
      }
    }
  }
}

}  // namespace
}  // namespace e3::nn
