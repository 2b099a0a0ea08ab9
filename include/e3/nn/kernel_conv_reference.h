#pragma once
// The reference KernelConv: (2.42) then (2.45), written directly.
//
// It materializes, for every edge, the radial weights R^p_uv = sum_H h_H W^p_{H,uv} of every
// path and the whole kernel K^{l_out l_in}_{ui,vj} = sum_{l_f,k} C_ijk Y_k R_uv n (2.42),
// then convolves G_A = sum_B K_AB F_B (2.45), all with LibTorch operations so that
// autograd provides the backward pass (2.43)-(2.47). It is slow and memory-hungry on
// purpose: it is the baseline the fused op (kernel_conv_function.h) is tested and
// benchmarked against.

#include <torch/types.h>

#include "e3/nn/graph.h"
#include "e3/nn/kernel_plan.h"

namespace e3::nn {

/// features [N, dim(rs_in)], harmonics [E, (lf_max+1)^2], radial_hidden h [E, H],
/// radial_weight W [H, plan.num_weights()] -> [N, dim(rs_out)].
torch::Tensor kernel_conv_reference(const KernelPlan& plan, const torch::Tensor& features,
                                    const torch::Tensor& harmonics, const torch::Tensor& radial_hidden,
                                    const torch::Tensor& radial_weight, const Graph& graph);

}  // namespace e3::nn
