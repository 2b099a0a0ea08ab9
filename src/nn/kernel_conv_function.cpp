#include "e3/nn/kernel_conv_function.h"

#include <torch/torch.h>

#include <sstream>
#include <stdexcept>

#include "kernel_conv_cpu.h"

namespace e3::nn {
namespace {

std::string shape(const torch::Tensor& t) {
  std::ostringstream out;
  out << t.sizes();
  return out.str();
}

void check_inputs(const KernelPlan& plan, const torch::Tensor& features, const torch::Tensor& harmonics,
                  const torch::Tensor& radial_hidden, const torch::Tensor& radial_weight, const Graph& graph,
                  GemmPrecision precision) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("kernel_conv: " + what); };
  // The CPU kernels index raw pointers with edge_src and dst_offsets: their dtype and range
  // are checked here, once per call (O(E + N), small next to the convolution).
  try {
    graph.check();
  } catch (const std::invalid_argument& error) {
    fail(error.what());
  }
  const int64_t edges = graph.num_edges();
  if (features.dim() != 2 || features.size(0) != graph.num_nodes || features.size(1) != plan.rs_in().dim()) {
    fail("features must be [" + std::to_string(graph.num_nodes) + ", " + std::to_string(plan.rs_in().dim()) +
         "], got " + shape(features));
  }
  if (harmonics.dim() != 2 || harmonics.size(0) != edges || harmonics.size(1) < plan.harmonics_dim()) {
    fail("harmonics must be [" + std::to_string(edges) + ", >= " + std::to_string(plan.harmonics_dim()) + "], got " +
         shape(harmonics));
  }
  if (radial_hidden.dim() != 2 || radial_hidden.size(0) != edges) {
    fail("radial_hidden must be [" + std::to_string(edges) + ", H], got " + shape(radial_hidden));
  }
  if (radial_weight.dim() != 2 || radial_weight.size(0) != radial_hidden.size(1) ||
      radial_weight.size(1) != plan.num_weights()) {
    fail("radial_weight must be [" + std::to_string(radial_hidden.size(1)) + ", " + std::to_string(plan.num_weights()) +
         "], got " + shape(radial_weight));
  }
  const auto dtype = features.scalar_type();
  if (dtype != torch::kFloat && dtype != torch::kDouble) fail("features must be float32 or float64");
  for (const auto* t : {&harmonics, &radial_hidden, &radial_weight}) {
    if (t->scalar_type() != dtype) fail("all floating inputs must share the dtype of the features");
    if (t->device() != features.device()) fail("all inputs must be on one device");
  }
  if (const auto reason = unsupported_precision(precision, dtype == torch::kFloat); !reason.empty()) fail(reason);
}

}  // namespace

torch::Tensor KernelConvFunction::forward(torch::autograd::AutogradContext* ctx,
                                          const c10::intrusive_ptr<KernelPlan>& plan, const torch::Tensor& features,
                                          const torch::Tensor& harmonics, const torch::Tensor& radial_hidden,
                                          const torch::Tensor& radial_weight, const torch::Tensor& edge_src,
                                          const torch::Tensor& dst_offsets, GemmPrecision precision) {
  // Device dispatch: a CUDA kernel would take the same inputs.
  if (!features.device().is_cpu()) {
    throw std::invalid_argument("kernel_conv: only the CPU kernel exists; use the reference implementation on " +
                                features.device().str());
  }
  detail::KernelConvInputs inputs{features.contiguous(), harmonics.contiguous(), radial_hidden.contiguous(),
                                  radial_weight.contiguous(), edge_src.contiguous(), dst_offsets.contiguous()};
  ctx->save_for_backward({inputs.features, inputs.harmonics, inputs.radial, inputs.weight, inputs.edge_src,
                          inputs.dst_offsets});
  ctx->saved_data["plan"] = c10::IValue::make_capsule(plan);
  ctx->saved_data["bf16_mixed"] = precision == GemmPrecision::bf16_mixed;
  return detail::kernel_conv_forward_cpu(*plan, inputs, precision);
}

torch::autograd::variable_list KernelConvFunction::backward(torch::autograd::AutogradContext* ctx,
                                                            torch::autograd::variable_list grad_outputs) {
  const auto saved = ctx->get_saved_variables();
  const auto plan = c10::static_intrusive_pointer_cast<KernelPlan>(ctx->saved_data["plan"].toCapsule());
  const detail::KernelConvInputs inputs{saved[0], saved[1], saved[2], saved[3], saved[4], saved[5]};
  // needs_input_grad counts tensor inputs only: features, harmonics, radial, weight, ...
  const std::array<bool, 4> needed{ctx->needs_input_grad(0), ctx->needs_input_grad(1), ctx->needs_input_grad(2),
                                   ctx->needs_input_grad(3)};
  const auto precision = ctx->saved_data["bf16_mixed"].toBool() ? GemmPrecision::bf16_mixed : GemmPrecision::float32;
  const auto grads = detail::kernel_conv_backward_cpu(*plan, inputs, grad_outputs[0], needed, precision);
  return {torch::Tensor(), grads.features, grads.harmonics, grads.radial, grads.weight, torch::Tensor(),
          torch::Tensor(), torch::Tensor()};
}

torch::Tensor kernel_conv(const c10::intrusive_ptr<KernelPlan>& plan, const torch::Tensor& features,
                          const torch::Tensor& harmonics, const torch::Tensor& radial_hidden,
                          const torch::Tensor& radial_weight, const Graph& graph, GemmPrecision precision) {
  check_inputs(*plan, features, harmonics, radial_hidden, radial_weight, graph, precision);
  return KernelConvFunction::apply(plan, features, harmonics, radial_hidden, radial_weight, graph.edge_src,
                                   graph.dst_offsets, precision);
}

}  // namespace e3::nn
