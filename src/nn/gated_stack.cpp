#include "e3/nn/gated_stack.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace e3::nn {

GatedStackImpl::GatedStackImpl(GatedStackOptions options_) : options(std::move(options_)) { reset(); }

void GatedStackImpl::reset() {
  if (options.layers() < 0) throw std::invalid_argument("gated stack: the number of layers must not be negative");
  layers.clear();
  for (int64_t i = 0; i < options.layers(); ++i) {
    const o3::Rs& rs_in = i == 0 ? options.rs_in() : options.representation();
    layers.push_back(register_module("layer" + std::to_string(i),
                                     GatedConv(GatedConvOptions(rs_in, options.representation())
                                                   .kernel(options.kernel())
                                                   .scalar_activation(options.scalar_activation())
                                                   .gate_activation(options.gate_activation())
                                                   .residual(options.residual()))));
  }
}

const o3::Rs& GatedStackImpl::rs_out() const { return layers.empty() ? options.rs_in() : options.representation(); }

torch::Tensor GatedStackImpl::forward(torch::Tensor features, const EdgeInputs& edges) {
  for (auto& layer : layers) features = layer->forward(features, edges);
  return features;
}

torch::Tensor GatedStackImpl::calibrate(torch::Tensor features, const EdgeInputs& edges) {
  torch::NoGradGuard no_grad;
  for (auto& layer : layers) {
    layer->conv->normalize_output(layer->conv->forward(features, edges));
    features = layer->forward(features, edges);
  }
  return features;
}

void GatedStackImpl::pretty_print(std::ostream& stream) const {
  stream << "e3::nn::GatedStack(" << options.rs_in().str() << " -> " << options.representation().str() << " x "
         << options.layers() << ")";
}

}  // namespace e3::nn
