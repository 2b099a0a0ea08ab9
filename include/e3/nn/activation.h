#pragma once
// Scalar activation functions, optionally normalized to unit second moment.
//
// Normalization keeps signals of unit second moment through a layer at initialization
// (the assumption behind Appendix B): act(x) is divided by sqrt(E[act(x)^2]) for
// x ~ N(0, 1), a constant computed once by numerical integration.

#include <torch/types.h>

#include <string>

namespace e3::nn {

enum class Activation {
  identity,
  relu,
  silu,              ///< x * sigmoid(x) (swish)
  shifted_softplus,  ///< log(1 + e^x) - log 2 (SchNet's)
  sigmoid,
  tanh,
};

/// Parses "identity", "relu", "silu", "shifted_softplus", "sigmoid", "tanh"; throws
/// std::invalid_argument listing the valid names otherwise.
Activation activation_from_string(const std::string& name);
std::string to_string(Activation activation);

/// E[act(x)^2] for x ~ N(0, 1).
double activation_second_moment(Activation activation);

/// The factor that normalizes act: 1 / sqrt(activation_second_moment(act)), exactly 1 for the
/// identity. A linear layer after act may carry it in its weight instead (mlp.h).
double activation_normalization(Activation activation);

/// act(x), multiplied by activation_normalization(act) when `normalize`.
torch::Tensor apply_activation(Activation activation, const torch::Tensor& x, bool normalize = true);

}  // namespace e3::nn
