#include "e3/nn/mlp.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "dense_matmul.h"

namespace e3::nn {

MLPImpl::MLPImpl(MLPOptions options_) : options(std::move(options_)) { reset(); }

void MLPImpl::reset() {
  if (options.in_features() < 1 || options.out_features() < 1 || options.hidden() < 1 || options.layers() < 0) {
    throw std::invalid_argument("MLP: sizes must be positive and layers non-negative");
  }
  hidden_weights_.clear();
  int64_t fan_in = options.in_features();
  for (int64_t i = 0; i < options.layers(); ++i) {
    hidden_weights_.push_back(register_parameter("hidden" + std::to_string(i), torch::randn({fan_in, options.hidden()})));
    fan_in = options.hidden();
  }
  output_weight_ = register_parameter("output", torch::randn({fan_in, options.out_features()}));
}

int64_t MLPImpl::hidden_features() const {
  return options.layers() > 0 ? options.hidden() : options.in_features();
}

double MLPImpl::input_normalization(size_t layer) const {
  return layer == 0 ? 1.0 : activation_normalization(options.activation());
}

torch::Tensor MLPImpl::hidden(const torch::Tensor& input) {
  torch::Tensor x = input;
  for (size_t i = 0; i < hidden_weights_.size(); ++i) {
    const auto& weight = hidden_weights_[i];
    const double scale = input_normalization(i) / std::sqrt(double(weight.size(0)));
    x = apply_activation(options.activation(), dense_matmul(x, weight * scale, options.precision()), /*normalize=*/false);
  }
  return x;
}

torch::Tensor MLPImpl::output_weight() {
  return output_weight_ * (input_normalization(hidden_weights_.size()) / std::sqrt(double(output_weight_.size(0))));
}

void MLPImpl::scale_outputs(const torch::Tensor& factors) {
  if (factors.dim() != 1 || factors.size(0) != options.out_features()) {
    throw std::invalid_argument("MLP: scale_outputs needs one factor per output");
  }
  torch::NoGradGuard no_grad;
  output_weight_.mul_(factors.to(output_weight_.options()));
}

torch::Tensor MLPImpl::forward(const torch::Tensor& input) { return dense_matmul(hidden(input), output_weight(), options.precision()); }

}  // namespace e3::nn
