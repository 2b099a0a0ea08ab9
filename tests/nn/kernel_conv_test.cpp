// The fused KernelConv against the reference (2.42)+(2.45), and its gradients against
// finite differences.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <numeric>
#include <string>

#include "e3/nn/kernel_conv_function.h"
#include "e3/nn/kernel_conv_reference.h"
#include "e3/o3/spherical_harmonics.h"
#include "gradcheck.h"
#include "random_graph.h"

namespace e3::nn {
namespace {

using testing::random_cloud;

double relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).abs().max() / b.abs().max().clamp_min(1e-300)).item<double>();
}

std::vector<int> orders_up_to(int lmax) {
  std::vector<int> orders(lmax + 1);
  std::iota(orders.begin(), orders.end(), 0);
  return orders;
}

// Leaves of one evaluation: features, positions (the harmonics are computed from them, so
// their gradient covers the harmonics), radial hidden activations and the output layer.
struct Problem {
  c10::intrusive_ptr<KernelPlan> plan;
  Graph graph;
  torch::Tensor features, positions, hidden, weight;
  GemmPrecision precision = GemmPrecision::float32;  ///< of the fused op

  torch::Tensor harmonics() const {
    const auto vectors = positions.index_select(0, graph.edge_src) - positions.index_select(0, graph.edge_dst);
    return o3::spherical_harmonics(orders_up_to(plan->lf_max()), vectors);
  }
  torch::Tensor fused() const { return kernel_conv(plan, features, harmonics(), hidden, weight, graph, precision); }
  torch::Tensor reference() const { return kernel_conv_reference(*plan, features, harmonics(), hidden, weight, graph); }
};

Problem make_problem(const std::string& rs_in, const std::string& rs_out, int lf_max, torch::Dtype dtype,
                     const std::vector<int64_t>& sizes, int64_t hidden, uint64_t seed) {
  const auto cloud = random_cloud(sizes, 3.5, seed);
  auto generator = at::detail::createCPUGenerator(seed + 1);
  Problem p;
  p.plan = c10::make_intrusive<KernelPlan>(o3::Rs::parse(rs_in), o3::Rs::parse(rs_out), lf_max,
                                           o3::ShNormalization::integral, 6.0);
  p.graph = cloud.graph;
  const auto options = torch::TensorOptions().dtype(dtype);
  p.features = torch::randn({cloud.positions.size(0), p.plan->rs_in().dim()}, generator, options).requires_grad_();
  p.positions = cloud.positions.to(dtype).requires_grad_();
  p.hidden = torch::randn({p.graph.num_edges(), hidden}, generator, options).requires_grad_();
  p.weight = (torch::randn({hidden, p.plan->num_weights()}, generator, options) / std::sqrt(double(hidden))).requires_grad_();
  return p;
}

// Output and the gradients of <output, grad_output> with respect to every leaf.
std::vector<torch::Tensor> evaluate(const Problem& p, bool fused, const torch::Tensor& grad_output) {
  const auto output = fused ? p.fused() : p.reference();
  const std::vector<torch::Tensor> leaves{p.features, p.positions, p.hidden, p.weight};
  // With lf_max = 0 the positions do not enter (Y^0 is constant): their gradient is zero.
  const auto grads = torch::autograd::grad({output}, leaves, {grad_output}, /*retain_graph=*/c10::nullopt,
                                           /*create_graph=*/false, /*allow_unused=*/true);
  std::vector<torch::Tensor> result{output.detach()};
  for (size_t i = 0; i < leaves.size(); ++i) result.push_back(grads[i].defined() ? grads[i] : torch::zeros_like(leaves[i]));
  return result;
}

void expect_fused_matches_reference(const std::string& rs_in, const std::string& rs_out, int lf_max,
                                    torch::Dtype dtype, double tolerance) {
  const auto p = make_problem(rs_in, rs_out, lf_max, dtype, {7, 11, 4, 1, 9}, 16, 42);
  auto generator = at::detail::createCPUGenerator(7);
  const auto grad_output = torch::randn({p.graph.num_nodes, p.plan->rs_out().dim()}, generator, torch::TensorOptions().dtype(dtype));
  const auto fused = evaluate(p, true, grad_output);
  const auto reference = evaluate(p, false, grad_output);
  const char* names[] = {"output", "d features", "d positions (through the harmonics)", "d radial hidden", "d weight"};
  for (size_t i = 0; i < fused.size(); ++i) {
    EXPECT_EQ(fused[i].scalar_type(), dtype);
    EXPECT_LT(relative_error(fused[i], reference[i]), tolerance)
        << names[i] << " for " << rs_in << " -> " << rs_out << " (lf_max " << lf_max << ")";
  }
}

// The representations of L1Net and L2Net (Table 3.1) and others, with the gate scalars of a
// following gated block.
TEST(KernelConvFused, MatchesReferenceFloat64) {
  expect_fused_matches_reference("64x0+21x1", "64x0+21x0+21x1", 2, torch::kDouble, 1e-10);
  expect_fused_matches_reference("42x0+14x1+8x2", "42x0+22x0+14x1+8x2", 2, torch::kDouble, 1e-10);
  expect_fused_matches_reference("128x0", "64x0+21x0+21x1", 2, torch::kDouble, 1e-10);
  expect_fused_matches_reference("3x0+2x1+2x2+1x3", "1x0+2x1+1x2+2x3", 3, torch::kDouble, 1e-10);
  expect_fused_matches_reference("2x0e+1x1o+1x1e", "1x0e+1x0o+2x1o+1x2e", 2, torch::kDouble, 1e-10);
  // Entries of one order scattered over Rs_out (one group, several slices), and over Rs_in.
  expect_fused_matches_reference("2x0+1x1+1x0", "1x1+2x0+1x1+1x2", 2, torch::kDouble, 1e-10);
}

TEST(KernelConvFused, MatchesReferenceFloat32) {
  expect_fused_matches_reference("64x0+21x1", "64x0+21x0+21x1", 2, torch::kFloat, 1e-5);
  expect_fused_matches_reference("42x0+14x1+8x2", "42x0+22x0+14x1+8x2", 2, torch::kFloat, 1e-5);
}

// bf16-mixed rounds every GEMM's inputs to bfloat16 (8 significant bits): the output and
// every gradient stay within a bfloat16 rounding of float32's (relative to each tensor's
// largest entry), and differ from them by more than float32 rounding (the bfloat16 path ran).
// 35 atoms: on any number of threads some chunk's stage-3 rows are padded to a multiple of 16,
// and some chunk has an odd number of rows, whose T in pairs of rows ends in a zero partner (a
// non-finite value in either would reach the output or d weight).
TEST(KernelConvFused, Bf16MixedStaysWithinBfloat16RoundingOfFloat32) {
  if (!cpu_has_bf16_gemm()) GTEST_SKIP() << "this CPU has neither AVX512_BF16 nor AMX";
  auto p = make_problem("64x0+21x1", "64x0+21x0+21x1", 2, torch::kFloat, {7, 11, 4, 1, 9, 3}, 16, 42);
  auto generator = at::detail::createCPUGenerator(7);
  const auto grad_output = torch::randn({p.graph.num_nodes, p.plan->rs_out().dim()}, generator);
  const auto exact = evaluate(p, true, grad_output);
  p.precision = GemmPrecision::bf16_mixed;
  const auto mixed = evaluate(p, true, grad_output);
  const char* names[] = {"output", "d features", "d positions", "d radial hidden", "d weight"};
  for (size_t i = 0; i < exact.size(); ++i) {
    EXPECT_EQ(mixed[i].scalar_type(), torch::kFloat) << names[i];
    const double error = relative_error(mixed[i], exact[i]);
    EXPECT_LT(error, 1e-2) << names[i];
    EXPECT_GT(error, 1e-5) << names[i];
  }
}

TEST(KernelConvFused, Bf16MixedNeedsFloat32InputsAndACpuThatHasIt) {
  auto p = make_problem("3x0+1x1", "2x0+1x1", 1, torch::kDouble, {4, 3}, 4, 9);
  p.precision = GemmPrecision::bf16_mixed;
  EXPECT_THROW(p.fused(), std::invalid_argument);
  auto single = make_problem("3x0+1x1", "2x0+1x1", 1, torch::kFloat, {4, 3}, 4, 9);
  single.precision = GemmPrecision::bf16_mixed;
  if (cpu_has_bf16_gemm()) {
    EXPECT_NO_THROW(single.fused());
  } else {
    EXPECT_THROW(single.fused(), std::invalid_argument);
  }
}

TEST(GemmPrecision, ParsesItsNames) {
  EXPECT_EQ(gemm_precision_from_string("float32"), GemmPrecision::float32);
  EXPECT_EQ(gemm_precision_from_string("bf16-mixed"), GemmPrecision::bf16_mixed);
  EXPECT_EQ(to_string(GemmPrecision::bf16_mixed), "bf16-mixed");
  EXPECT_EQ(to_string(GemmPrecision::float32), "float32");
  try {
    gemm_precision_from_string("bf16");
    ADD_FAILURE() << "accepted bf16";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("float32, bf16-mixed"), std::string::npos) << error.what();
  }
}

TEST(KernelConvFused, FilterOrdersUpToLfMax) {
  for (int lf_max = 0; lf_max <= 3; ++lf_max) {
    expect_fused_matches_reference("4x0+3x1+2x2", "3x0+2x1+2x2", lf_max, torch::kDouble, 1e-10);
  }
}

TEST(KernelConvFused, Gradcheck) {
  // Small enough for a full numerical Jacobian, with an isolated atom and l up to 2.
  const auto p = make_problem("2x0+1x1+1x2", "1x0+2x1+1x2", 2, torch::kDouble, {3, 2, 1}, 3, 5);
  ASSERT_GT(p.graph.num_edges(), 0);
  const auto harmonics = p.harmonics().detach().requires_grad_();
  auto function = [&](const std::vector<torch::Tensor>& x) { return kernel_conv(p.plan, x[0], x[1], x[2], x[3], p.graph); };
  const auto result = testing::gradcheck(
      function, {p.features.detach().requires_grad_(), harmonics, p.hidden.detach().requires_grad_(),
                 p.weight.detach().requires_grad_()});
  EXPECT_TRUE(result.ok) << result.message;
  EXPECT_LT(result.max_error, 1e-6);
}

TEST(KernelConvFused, SkipsGradientsNobodyNeeds) {
  const auto p = make_problem("3x0+1x1", "2x0+1x1", 1, torch::kDouble, {4, 3}, 4, 9);
  const auto harmonics = p.harmonics().detach();  // no gradient
  const auto output = kernel_conv(p.plan, p.features.detach(), harmonics, p.hidden.detach(), p.weight, p.graph);
  output.sum().backward();
  EXPECT_TRUE(p.weight.grad().defined());
  EXPECT_FALSE(p.hidden.grad().defined());
}

TEST(KernelConvFused, RejectsMismatchedInputs) {
  const auto p = make_problem("3x0+1x1", "2x0+1x1", 1, torch::kDouble, {4, 3}, 4, 9);
  const auto y = p.harmonics().detach();
  EXPECT_THROW(kernel_conv(p.plan, p.features.narrow(1, 0, 5), y, p.hidden, p.weight, p.graph), std::invalid_argument);
  EXPECT_THROW(kernel_conv(p.plan, p.features, y.narrow(1, 0, 1), p.hidden, p.weight, p.graph), std::invalid_argument);
  EXPECT_THROW(kernel_conv(p.plan, p.features, y, p.hidden, p.weight.narrow(1, 0, 3), p.graph), std::invalid_argument);
  EXPECT_THROW(kernel_conv(p.plan, p.features.to(torch::kFloat), y, p.hidden, p.weight, p.graph), std::invalid_argument);
}

// The CPU kernels index raw pointers with edge_src and dst_offsets: a graph that breaks the
// invariants of Graph must be an error at the op's boundary, never a read outside the inputs.
TEST(KernelConvFused, RejectsGraphsTheKernelsCannotIndexWith) {
  const auto p = make_problem("3x0+1x1", "2x0+1x1", 1, torch::kDouble, {4, 3}, 4, 9);
  const auto y = p.harmonics().detach();
  const int64_t nodes = p.graph.num_nodes, edges = p.graph.num_edges();
  ASSERT_GT(edges, 2);
  auto expect_rejected = [&](const std::function<void(Graph&)>& change, const std::string& problem) {
    Graph graph = p.graph;
    graph.edge_src = graph.edge_src.clone();
    graph.dst_offsets = graph.dst_offsets.clone();
    change(graph);
    try {
      kernel_conv(p.plan, p.features, y, p.hidden, p.weight, graph);
      ADD_FAILURE() << "accepted a graph whose " << problem;
    } catch (const std::invalid_argument& error) {
      const std::string message = error.what();
      EXPECT_EQ(message.rfind("kernel_conv: ", 0), 0u) << message;
      EXPECT_NE(message.find(problem), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  };
  expect_rejected([&](Graph& g) { g.edge_src[edges / 2] = nodes; }, "edge_src out of range [0, 7)");
  expect_rejected([&](Graph& g) { g.edge_src[0] = -1; }, "edge_src out of range [0, 7)");
  expect_rejected([&](Graph& g) { g.edge_src = g.edge_src.to(torch::kInt); }, "must be int64");
  expect_rejected([&](Graph& g) { g.dst_offsets = g.dst_offsets.to(torch::kInt); }, "must be int64");
  expect_rejected([&](Graph& g) { g.dst_offsets[0] = 1; }, "must start at 0");
  expect_rejected([&](Graph& g) { g.dst_offsets[nodes] = edges - 1; }, "end at the number of edges");
  expect_rejected([&](Graph& g) { g.dst_offsets[1] = edges; }, "non-decreasing");
  expect_rejected([&](Graph& g) { g.edge_src = torch::Tensor(); }, "edge_src");
}

}  // namespace
}  // namespace e3::nn
