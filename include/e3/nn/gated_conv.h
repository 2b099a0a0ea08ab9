#pragma once
// One layer of an e3nn network: KernelConv -> gated block, with a residual connection.
//
// The convolution writes the gate's input (rs_out's scalars, the gates, rs_out's
// non-scalars); the gate writes rs_out. Without a gate (the last layer of L·Net, Figure
// 3.1) the convolution writes rs_out directly. When rs_in equals rs_out and `residual` is
// set, the input is added to the output.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include "e3/nn/gate.h"
#include "e3/nn/kernel_conv.h"

namespace e3::nn {

struct GatedConvOptions {
  GatedConvOptions(o3::Rs rs_in, o3::Rs rs_out) : rs_in_(std::move(rs_in)), rs_out_(std::move(rs_out)) {}
  TORCH_ARG(o3::Rs, rs_in);
  TORCH_ARG(o3::Rs, rs_out);
  TORCH_ARG(KernelOptions, kernel);
  TORCH_ARG(bool, gate) = true;
  TORCH_ARG(Activation, scalar_activation) = Activation::silu;
  TORCH_ARG(Activation, gate_activation) = Activation::sigmoid;
  TORCH_ARG(bool, residual) = true;
};

class GatedConvImpl : public torch::nn::Cloneable<GatedConvImpl> {
 public:
  explicit GatedConvImpl(GatedConvOptions options);

  /// [N, dim(rs_in)] -> [N, dim(rs_out)]
  torch::Tensor forward(const torch::Tensor& features, const EdgeInputs& edges);

  /// True when the input is added to the output.
  bool has_residual() const;
  void reset() override;

  GatedConvOptions options;
  KernelConv conv = nullptr;
  Gate gate = nullptr;  ///< empty when options.gate() is false
};
TORCH_MODULE(GatedConv);

}  // namespace e3::nn
