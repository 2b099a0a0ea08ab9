#include "e3/nn/gated_conv.h"

#include <torch/torch.h>

namespace e3::nn {

GatedConvImpl::GatedConvImpl(GatedConvOptions options_) : options(std::move(options_)) { reset(); }

void GatedConvImpl::reset() {
  o3::Rs conv_out = options.rs_out();
  if (options.gate()) {
    gate = register_module("gate", Gate(GateOptions(options.rs_out())
                                            .scalar_activation(options.scalar_activation())
                                            .gate_activation(options.gate_activation())));
    conv_out = gate->rs_in();
  }
  conv = register_module("conv", KernelConv(KernelConvOptions(options.rs_in(), conv_out).kernel(options.kernel())));
}

bool GatedConvImpl::has_residual() const { return options.residual() && options.rs_in() == options.rs_out(); }

torch::Tensor GatedConvImpl::forward(const torch::Tensor& features, const EdgeInputs& edges) {
  auto output = conv->forward(features, edges);
  if (gate) output = gate->forward(output);
  return has_residual() ? output + features : output;
}

}  // namespace e3::nn
