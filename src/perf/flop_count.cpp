#include "e3/perf/flop_count.h"

#include "e3/nn/kernel_conv.h"

namespace e3::perf {

Flops fused_kernel_conv_flops(const nn::KernelPlan& plan, double n, double e, double h) {
  double stage1 = 0, stage2 = 0, stage3 = 0, stage1_backward = 0, edge_backward = 0;
  for (const auto& g : plan.groups()) {
    const double d = 2 * g.l_out + 1, p = double(g.columns), u = double(g.mul_out);
    for (const auto& path : g.paths) {
      const double d_in = 2 * path.l_in + 1, d_f = 2 * path.l_filter + 1, v = double(path.mul_in);
      stage1 += e * (2 * d_in * d_f * d + 2 * v * d_in * d);
      stage1_backward += e * (4 * d_in * d_f * d + 4 * v * d_in * d);  // dF and dY
    }
    stage2 += 2 * e * h * d * p;
    stage3 += 2 * n * d * h * p * u;
    edge_backward += 2 * (2 * e * h * d * p);  // dh and dX
  }
  // Backward: recomputes stages 1 and 2, then dW and dT (each like stage 3).
  return {stage1 + stage2 + stage3, stage1 + stage2 + 2 * stage3 + edge_backward + stage1_backward};
}

Flops reference_kernel_conv_flops(const nn::KernelPlan& plan, double e, double h) {
  const double radial = 2 * e * h * double(plan.num_weights());
  double kernel = 0;
  for (const auto& g : plan.groups()) {
    const double d = 2 * g.l_out + 1, u = double(g.mul_out);
    for (const auto& path : g.paths) {
      const double d_in = 2 * path.l_in + 1, d_f = 2 * path.l_filter + 1, v = double(path.mul_in);
      kernel += e * (2 * d_in * d_f * d + 2 * u * v * d * d_in);
    }
  }
  const double convolution = 2 * e * double(plan.rs_out().dim()) * double(plan.rs_in().dim());
  // Backward: two GEMMs for the radial weights, twice the kernel assembly, two for the bmm.
  return {radial + kernel + convolution, 2 * radial + 2 * kernel + 2 * convolution};
}

Flops radial_mlp_flops(double e, double bases, double h, int64_t layers) {
  double forward = 0, fan_in = bases;
  for (int64_t i = 0; i < layers; ++i, fan_in = h) forward += 2 * e * fan_in * h;
  return {forward, 2 * forward};  // input and weight gradients
}

Flops model_flops(models::MoleculeNetImpl& model, double n, double e) {
  Flops total;
  const auto& kernel = model.options.kernel();
  const double h = double(kernel.radial_hidden());
  for (const auto& module : model.modules()) {
    const auto layer = std::dynamic_pointer_cast<nn::KernelConvImpl>(module);
    if (!layer) continue;
    const auto conv = layer->options.kernel().fused() ? fused_kernel_conv_flops(layer->plan(), n, e, h)
                                                      : reference_kernel_conv_flops(layer->plan(), e, h);
    const auto radial = radial_mlp_flops(e, double(kernel.num_bases()), h, kernel.radial_layers());
    total.forward += conv.forward + radial.forward;
    total.backward += conv.backward + radial.backward;
  }
  return total;
}

}  // namespace e3::perf
