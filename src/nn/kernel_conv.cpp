#include "e3/nn/kernel_conv.h"

#include <torch/torch.h>

#include "e3/nn/kernel_conv_function.h"
#include "e3/nn/kernel_conv_reference.h"

namespace e3::nn {

KernelConvImpl::KernelConvImpl(KernelConvOptions options_) : options(std::move(options_)) { reset(); }

void KernelConvImpl::reset() {
  const auto& kernel = options.kernel();
  plan_ = c10::make_intrusive<KernelPlan>(options.rs_in(), options.rs_out(), kernel.lf_max(),
                                          kernel.harmonics_normalization(), kernel.avg_num_neighbors());
  radial = register_module("radial", RadialMLP(RadialMLPOptions(kernel.num_bases(), plan_->num_weights())
                                                   .hidden(kernel.radial_hidden())
                                                   .layers(kernel.radial_layers())
                                                   .activation(kernel.radial_activation())));
}

torch::Tensor KernelConvImpl::forward(const torch::Tensor& features, const EdgeInputs& edges) {
  const auto hidden = radial->hidden(edges.basis);
  const auto weight = radial->output_weight();
  if (options.kernel().fused()) return kernel_conv(plan_, features, edges.harmonics, hidden, weight, edges.graph);
  return kernel_conv_reference(*plan_, features, edges.harmonics, hidden, weight, edges.graph);
}

void KernelConvImpl::pretty_print(std::ostream& stream) const {
  stream << "e3::nn::KernelConv(" << options.rs_in().str() << " -> " << options.rs_out().str()
         << ", lf_max=" << options.kernel().lf_max() << ", paths=" << plan_->num_paths()
         << (options.kernel().fused() ? ", fused" : ", reference") << ")";
}

}  // namespace e3::nn
