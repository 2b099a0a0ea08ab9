#pragma once
// A multi-layer perceptron with normalized activations and no biases, used twice in e3nn:
//
// - as the radial model (2.34)-(2.35) of every KernelConv: hidden layers
//   L^H = act(sum_B D^B w^B_H) (2.34) on the radial basis values, then a linear output layer
//   R = sum_H L^H w_H (2.35) with one output per radial weight R^{l_out l_in l_f}_{uv}. The fused
//   KernelConv never forms R: it takes the last hidden activation (hidden()) and the output
//   layer's weight (output_weight()) separately;
// - as the output MLP of the multi-target network (Figure 3.6): ReLU layers on the scalar
//   features of an atom, whose linear last layer gives the atom's one output.
//
// Parameterization (as e3nn): weights are drawn from N(0, 1) and every layer divides by
// sqrt(fan_in) in forward; with normalized activations (activation.h) and inputs of unit
// second moment, the output has zero mean and unit variance at initialization, as Appendix B
// assumes. Both constants are applied to the small weight matrices, not to the [E, H]
// activations: layer i multiplies by its weight times the previous activation's normalization
// over sqrt(fan_in), so a hidden layer costs one GEMM (dense_matmul, on oneDNN) and one
// activation pass.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <vector>

#include "e3/nn/activation.h"
#include "e3/nn/gemm_precision.h"

namespace e3::nn {

struct MLPOptions {
  MLPOptions(int64_t in_features, int64_t out_features) : in_features_(in_features), out_features_(out_features) {}
  TORCH_ARG(int64_t, in_features);   ///< inputs (the radial model: number of basis functions)
  TORCH_ARG(int64_t, out_features);  ///< outputs (the radial model: radial weights of all paths)
  TORCH_ARG(int64_t, hidden) = 128;  ///< neurons per hidden layer
  TORCH_ARG(int64_t, layers) = 2;    ///< hidden layers (0: the output is linear in the input)
  TORCH_ARG(Activation, activation) = Activation::silu;
  /// The layers' GEMMs (dense_matmul): bf16_mixed rounds their inputs to bfloat16 and sums in
  /// float32 (the radial model of a KernelConv under bf16-mixed; float32 tensors only).
  TORCH_ARG(GemmPrecision, precision) = GemmPrecision::float32;
};

class MLPImpl : public torch::nn::Cloneable<MLPImpl> {
 public:
  explicit MLPImpl(MLPOptions options);

  /// The last hidden activation h [..., hidden_features()] of `input` [..., in_features] (the
  /// input itself with 0 layers), before its normalization factor, which output_weight()
  /// carries.
  torch::Tensor hidden(const torch::Tensor& input);
  /// The output layer, scaled by the last activation's normalization over sqrt(fan_in):
  /// [hidden_features(), out_features], so that forward() = hidden() @ it.
  torch::Tensor output_weight();
  /// hidden(input) @ output_weight(): [..., out_features] (the radial model: R of (2.35)).
  torch::Tensor forward(const torch::Tensor& input);

  /// Multiplies output j by factors[j] ([out_features]): scales the output layer's columns.
  void scale_outputs(const torch::Tensor& factors);

  int64_t hidden_features() const;
  void reset() override;

  MLPOptions options;

 private:
  /// The normalization of the activation that feeds layer `layer` (the output layer is
  /// layer hidden_weights_.size()): 1 for the MLP's input.
  double input_normalization(size_t layer) const;

  std::vector<torch::Tensor> hidden_weights_;
  torch::Tensor output_weight_;
};
TORCH_MODULE(MLP);

}  // namespace e3::nn
