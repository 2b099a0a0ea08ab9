#pragma once
// The radial model (2.34)-(2.35): a multi-layer perceptron on the radial basis values.
//
// Hidden layers L^H = act(sum_B D^B w^B_H) (2.34) are followed by a linear output layer
// R = sum_H L^H w_H (2.35) with one output per radial weight R^{l_out l_in l_f}_{uv} of a
// kernel. The fused KernelConv never forms R: it takes the last hidden activation
// (hidden()) and the output layer's weight (output_weight()) separately.
//
// Parameterization (as e3nn): weights are drawn from N(0, 1) and every layer divides by
// sqrt(fan_in) in forward; with normalized activations and a normalized basis, R has zero
// mean and unit variance at initialization, as Appendix B assumes. No biases.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <vector>

#include "e3/nn/activation.h"

namespace e3::nn {

struct RadialMLPOptions {
  RadialMLPOptions(int64_t in_features, int64_t out_features) : in_features_(in_features), out_features_(out_features) {}
  TORCH_ARG(int64_t, in_features);   ///< number of radial basis functions
  TORCH_ARG(int64_t, out_features);  ///< number of radial weights (of all paths)
  TORCH_ARG(int64_t, hidden) = 128;  ///< neurons per hidden layer
  TORCH_ARG(int64_t, layers) = 2;    ///< hidden layers (0: R is linear in the basis)
  TORCH_ARG(Activation, activation) = Activation::silu;
};

class RadialMLPImpl : public torch::nn::Cloneable<RadialMLPImpl> {
 public:
  explicit RadialMLPImpl(RadialMLPOptions options);

  /// The last hidden activation h [..., hidden_features()] (the basis itself with 0 layers).
  torch::Tensor hidden(const torch::Tensor& basis);
  /// The output layer, scaled: [hidden_features(), out_features], so that R = hidden() @ it.
  torch::Tensor output_weight();
  /// R = hidden(basis) @ output_weight(): [..., out_features] (2.35).
  torch::Tensor forward(const torch::Tensor& basis);

  /// Multiplies output j by factors[j] ([out_features]): scales the output layer's columns.
  void scale_outputs(const torch::Tensor& factors);

  int64_t hidden_features() const;
  void reset() override;

  RadialMLPOptions options;

 private:
  std::vector<torch::Tensor> hidden_weights_;
  torch::Tensor output_weight_;
};
TORCH_MODULE(RadialMLP);

}  // namespace e3::nn
