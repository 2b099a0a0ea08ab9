#pragma once
// CPU kernels of the fused KernelConv (internal; see kernel_conv_function.h).

#include <torch/types.h>

#include <array>

#include "e3/nn/gemm_precision.h"
#include "e3/nn/kernel_plan.h"

namespace e3::nn::detail {

/// The inputs of the op, already checked: contiguous, one dtype (float32 or float64), CPU.
struct KernelConvInputs {
  torch::Tensor features;     // [N, dim_in]
  torch::Tensor harmonics;    // [E, (lf_max+1)^2]
  torch::Tensor radial;       // [E, H]
  torch::Tensor weight;       // [H, num_weights]
  torch::Tensor edge_src;     // [E] int64
  torch::Tensor dst_offsets;  // [N+1] int64
};

/// Gradients with respect to features, harmonics, radial and weight (undefined when not needed).
struct KernelConvGradients {
  torch::Tensor features, harmonics, radial, weight;
};

/// `precision` bf16_mixed applies to float32 inputs (kernel_conv() checks it).
torch::Tensor kernel_conv_forward_cpu(const KernelPlan& plan, const KernelConvInputs& inputs, GemmPrecision precision);

/// `needed` flags, in the order features, harmonics, radial, weight.
KernelConvGradients kernel_conv_backward_cpu(const KernelPlan& plan, const KernelConvInputs& inputs,
                                             const torch::Tensor& grad_output, const std::array<bool, 4>& needed,
                                             GemmPrecision precision);

}  // namespace e3::nn::detail
