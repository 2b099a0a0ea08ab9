#include "e3/nn/gate.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace e3::nn {
namespace {

TEST(Gate, InputLayoutHasScalarsGatesThenNonScalars) {
  Gate gate(GateOptions(o3::Rs::parse("2x0+1x1+3x0+2x2")));
  EXPECT_EQ(gate->rs_in(), o3::Rs::parse("2x0+3x0+3x0+1x1+2x2"));
}

TEST(Gate, AppliesEquations253And254) {
  Gate gate(GateOptions(o3::Rs::parse("2x0+1x1+1x2")).scalar_activation(Activation::relu).gate_activation(Activation::sigmoid).normalize(false));
  // input: scalars (2), gates (2), l=1 (3), l=2 (5)
  auto x = torch::arange(12, torch::kDouble) - 5.0;
  const auto y = gate->forward(x.unsqueeze(0))[0];
  ASSERT_EQ(y.size(0), 2 + 3 + 5);
  EXPECT_TRUE(torch::equal(y.narrow(0, 0, 2), torch::relu(x.narrow(0, 0, 2))));
  const auto gates = torch::sigmoid(x.narrow(0, 2, 2));
  EXPECT_TRUE(torch::allclose(y.narrow(0, 2, 3), x.narrow(0, 4, 3) * gates[0]));
  EXPECT_TRUE(torch::allclose(y.narrow(0, 5, 5), x.narrow(0, 7, 5) * gates[1]));
}

TEST(Gate, KeepsTheOrderOfRsOut) {
  Gate gate(GateOptions(o3::Rs::parse("1x1+1x0")).scalar_activation(Activation::identity).gate_activation(Activation::identity));
  // input: scalar s, gate g, vector v -> output (g v, s)
  const auto x = torch::tensor({{2.0, 3.0, 1.0, 0.5, -1.0}}, torch::kDouble);
  EXPECT_TRUE(torch::allclose(gate->forward(x), torch::tensor({{3.0, 1.5, -3.0, 2.0}}, torch::kDouble)));
}

TEST(Gate, RejectsWrongWidthAndOddScalarsWithEvenActivations) {
  Gate gate(GateOptions(o3::Rs::parse("2x0+1x1")));
  EXPECT_THROW(gate->forward(torch::zeros({3, 5})), std::invalid_argument);
  EXPECT_THROW(Gate(GateOptions(o3::Rs::parse("1x0o")).scalar_activation(Activation::relu)), std::invalid_argument);
  EXPECT_NO_THROW(Gate(GateOptions(o3::Rs::parse("1x0o+1x1e")).scalar_activation(Activation::tanh)));
}

}  // namespace
}  // namespace e3::nn
