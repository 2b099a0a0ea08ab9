#pragma once
// Analytic FLOP counts (a multiply-add counts 2) of the algorithms e3cpp runs, the numerator
// of every "achieved GFLOP/s" figure (e3cpp bench, the benchmarks in bench/).

#include "e3/models/molecule_net.h"
#include "e3/nn/kernel_plan.h"

namespace e3::perf {

struct Flops {
  double forward = 0, backward = 0;
  double total() const { return forward + backward; }
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

/// The convolutions (fused, or the reference when the model's kernels are) and radial MLPs of
/// `model` on a batch of `n` atoms and `e` edges: the bulk of a step's arithmetic. Not counted:
/// embedding, gates, output layers and MLP heads, the optimizer.
Flops model_flops(models::MoleculeNetImpl& model, double n, double e);

}  // namespace e3::perf
