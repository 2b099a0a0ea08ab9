#pragma once
// The fused KernelConv (2.49)-(2.52) as one autograd operation.
//
// Given the last hidden activation h of the radial MLP and its output layer W (instead of
// the radial weights R = h W), it evaluates (2.49) in the reassociated order of DESIGN.md
// and has a hand-written backward pass returning gradients with respect to the features,
// the harmonics (hence the edge vectors), h and W. Per-edge [U x V] weights or kernels are
// never formed. CPU kernels in float32 and float64; the device dispatch in the op leaves a
// place for a CUDA kernel with the same inputs. The backward pass is not itself
// differentiable (no double backward).

#include <torch/csrc/autograd/custom_function.h>
#include <torch/types.h>

#include "e3/nn/gemm_precision.h"
#include "e3/nn/graph.h"
#include "e3/nn/kernel_plan.h"

namespace e3::nn {

/// The autograd Function; use kernel_conv() below.
class KernelConvFunction : public torch::autograd::Function<KernelConvFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const c10::intrusive_ptr<KernelPlan>& plan,
                               const torch::Tensor& features, const torch::Tensor& harmonics,
                               const torch::Tensor& radial_hidden, const torch::Tensor& radial_weight,
                               const torch::Tensor& edge_src, const torch::Tensor& dst_offsets,
                               GemmPrecision precision);
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs);
};

/// features [N, dim(rs_in)], harmonics [E, (lf_max+1)^2] of the edges in graph order,
/// radial_hidden h [E, H], radial_weight W [H, plan->num_weights()] -> [N, dim(rs_out)];
/// the same function as kernel_conv_reference(). All floating inputs share one dtype
/// (float32 or float64) and device. Throws std::invalid_argument on shape mismatches and on a
/// graph that breaks its invariants (Graph::check()).
///
/// `precision` bf16_mixed (float32 inputs only; for a CPU where cpu_has_bf16_gemm()) runs
/// stage 3 and its two backward GEMMs with bfloat16 inputs and float32 accumulation; the
/// per-edge and per-atom stages, the outputs and every gradient stay float32.
torch::Tensor kernel_conv(const c10::intrusive_ptr<KernelPlan>& plan, const torch::Tensor& features,
                          const torch::Tensor& harmonics, const torch::Tensor& radial_hidden,
                          const torch::Tensor& radial_weight, const Graph& graph,
                          GemmPrecision precision = GemmPrecision::float32);

}  // namespace e3::nn
