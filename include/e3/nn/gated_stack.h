#pragma once
// A stack of e3nn layers (KernelConv -> gated block, GatedConv) of one representation: the
// building block of every network here. L·Net (Figure 3.1) is a stack plus a last
// convolution to scalars; the multi-target network (Figure 3.6) is a stack (the
// featurization) plus one stack per output block; the tetris classifier is a stack plus a
// last convolution to class scores.
//
// The first layer maps rs_in to `representation`, every further layer `representation` to
// itself, with a residual connection (GatedConv) where the two agree. A stack of 0 layers is
// the identity.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "e3/nn/gated_conv.h"

namespace e3::nn {

struct GatedStackOptions {
  GatedStackOptions(o3::Rs rs_in, o3::Rs representation, int64_t layers)
      : rs_in_(std::move(rs_in)), representation_(std::move(representation)), layers_(layers) {}
  TORCH_ARG(o3::Rs, rs_in);
  /// The output of every layer.
  TORCH_ARG(o3::Rs, representation);
  /// Number of KernelConv + gated blocks (>= 0).
  TORCH_ARG(int64_t, layers);
  TORCH_ARG(KernelOptions, kernel);
  TORCH_ARG(Activation, scalar_activation) = Activation::silu;
  TORCH_ARG(Activation, gate_activation) = Activation::sigmoid;
  TORCH_ARG(bool, residual) = true;
};

class GatedStackImpl : public torch::nn::Cloneable<GatedStackImpl> {
 public:
  /// std::invalid_argument for a negative layer count (and whatever GatedConv rejects).
  explicit GatedStackImpl(GatedStackOptions options);

  /// [N, dim(rs_in)] -> [N, dim(rs_out())]
  torch::Tensor forward(torch::Tensor features, const EdgeInputs& edges);

  /// Data-dependent initialization: runs `features` through the layers in order and, before
  /// each layer runs on them, rescales its KernelConv so that its output has unit second
  /// moment on what actually reaches it (KernelConv::normalize_output). Returns the stack's
  /// output. No gradients are recorded.
  torch::Tensor calibrate(torch::Tensor features, const EdgeInputs& edges);

  /// `representation`, or rs_in for a stack of 0 layers.
  const o3::Rs& rs_out() const;
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  GatedStackOptions options;
  std::vector<GatedConv> layers;
};
TORCH_MODULE(GatedStack);

}  // namespace e3::nn
