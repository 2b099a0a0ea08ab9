#include "e3/nn/kernel_conv.h"

#include <ATen/record_function.h>
#include <torch/torch.h>

#include <cmath>

#include "e3/nn/kernel_conv_function.h"
#include "e3/nn/kernel_conv_reference.h"
#include "e3/nn/step_parts.h"

namespace e3::nn {

KernelConvImpl::KernelConvImpl(KernelConvOptions options_) : options(std::move(options_)) { reset(); }

void KernelConvImpl::reset() {
  const auto& kernel = options.kernel();
  plan_ = c10::make_intrusive<KernelPlan>(options.rs_in(), options.rs_out(), kernel.lf_max(),
                                          kernel.harmonics_normalization(), kernel.avg_num_neighbors());
  radial = register_module("radial", MLP(MLPOptions(kernel.num_bases(), plan_->num_weights())
                                                   .hidden(kernel.radial_hidden())
                                                   .layers(kernel.radial_layers())
                                                   .activation(kernel.radial_activation())
                                                   .precision(kernel.precision())));
}

torch::Tensor KernelConvImpl::forward(const torch::Tensor& features, const EdgeInputs& edges) {
  torch::Tensor hidden, weight;
  {
    RECORD_USER_SCOPE(step_parts::kRadialMlps.scope);
    hidden = radial->hidden(edges.basis);
    weight = radial->output_weight();
  }
  RECORD_USER_SCOPE(step_parts::kConvolutions.scope);
  if (options.kernel().fused()) {
    return kernel_conv(plan_, features, edges.harmonics, hidden, weight, edges.graph, options.kernel().precision());
  }
  return kernel_conv_reference(*plan_, features, edges.harmonics, hidden, weight, edges.graph);
}

void KernelConvImpl::normalize_output(const torch::Tensor& output) {
  torch::NoGradGuard no_grad;
  // One factor per radial weight; a group's weights form a [P, U] block, channel u last.
  auto factors = torch::ones({plan_->num_weights()}, torch::kDouble);
  for (const auto& group : plan_->groups()) {
    auto block = factors.narrow(0, group.weight_offset, group.columns * group.mul_out).view({group.columns, group.mul_out});
    for (const auto& slice : group.slices) {
      const double moment =
          output.narrow(1, slice.out_offset, slice.mul * (2 * group.l_out + 1)).pow(2).mean().item<double>();
      if (moment > 0.0 && std::isfinite(moment)) block.narrow(1, slice.first_channel, slice.mul).fill_(1.0 / std::sqrt(moment));
    }
  }
  radial->scale_outputs(factors);
}

void KernelConvImpl::pretty_print(std::ostream& stream) const {
  stream << "e3::nn::KernelConv(" << options.rs_in().str() << " -> " << options.rs_out().str()
         << ", lf_max=" << options.kernel().lf_max() << ", paths=" << plan_->num_paths()
         << (options.kernel().fused() ? ", fused" : ", reference")
         << (options.kernel().precision() == GemmPrecision::bf16_mixed ? ", bf16-mixed" : "") << ")";
}

}  // namespace e3::nn
