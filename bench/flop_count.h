#pragma once
// Analytic FLOP counts (a multiply-add counts 2) of the algorithms the benchmarks time.

#include "e3/nn/kernel_plan.h"

namespace e3::bench {

struct Flops {
  double forward = 0, backward = 0;
};

/// The fused KernelConv (DESIGN.md's reassociated order) on `n` atoms, `e` edges and `h`
/// radial hidden units; the backward pass recomputes stages 1 and 2 and computes every
/// gradient (features, harmonics, radial, weight).
Flops fused_kernel_conv_flops(const nn::KernelPlan& plan, double n, double e, double h);

/// The reference KernelConv, (2.35) + (2.42) + (2.45), with autograd's backward.
Flops reference_kernel_conv_flops(const nn::KernelPlan& plan, double e, double h);

/// A radial MLP of `layers` hidden layers of `h` units on `bases` basis values for `e` edges
/// (the output layer is part of the KernelConv counts).
Flops radial_mlp_flops(double e, double bases, double h, int64_t layers);

}  // namespace e3::bench
