#include "e3/nn/gate.h"

#include <ATen/record_function.h>
#include <torch/torch.h>

#include <stdexcept>

#include "e3/nn/step_parts.h"

namespace e3::nn {

GateImpl::GateImpl(GateOptions options_) : options(std::move(options_)) { reset(); }

void GateImpl::reset() {
  const o3::Rs& out = options.rs_out();
  std::vector<o3::Irrep> scalars, gated;
  for (const auto& irrep : out) {
    if (irrep.l == 0) {
      scalars.push_back(irrep);
      // An odd scalar stays odd only under an odd activation.
      const auto act = options.scalar_activation();
      if (irrep.parity == -1 && act != Activation::tanh && act != Activation::identity) {
        throw std::invalid_argument("gate: odd scalars in " + out.str() + " need an odd activation (tanh or identity)");
      }
    } else {
      gated.push_back(irrep);
    }
  }
  num_scalars_ = o3::Rs(scalars).dim();
  num_gates_ = o3::Rs(gated).num_irreps();
  std::vector<o3::Irrep> in = scalars;
  if (num_gates_ > 0) in.push_back({num_gates_, 0, out.has_parity() ? 1 : 0});
  in.insert(in.end(), gated.begin(), gated.end());
  rs_in_ = o3::Rs(in);

  sources_.clear();
  int64_t scalar_offset = 0, gated_offset = num_scalars_ + num_gates_, gate_offset = num_scalars_;
  for (const auto& irrep : out) {
    if (irrep.l == 0) {
      sources_.push_back({scalar_offset, -1});
      scalar_offset += irrep.dim();
    } else {
      sources_.push_back({gated_offset, gate_offset});
      gated_offset += irrep.dim();
      gate_offset += irrep.mul;
    }
  }
}

torch::Tensor GateImpl::forward(const torch::Tensor& input) {
  if (input.dim() != 2 || input.size(1) != rs_in_.dim()) {
    throw std::invalid_argument("gate: expected input [N, " + std::to_string(rs_in_.dim()) + "] for " + rs_in_.str());
  }
  RECORD_USER_SCOPE(step_parts::kGates.scope);
  const bool normalize = options.normalize();
  const auto scalars = apply_activation(options.scalar_activation(), input.narrow(1, 0, num_scalars_), normalize);
  const auto gates = apply_activation(options.gate_activation(), input.narrow(1, num_scalars_, num_gates_), normalize);
  std::vector<torch::Tensor> pieces;
  const o3::Rs& out = options.rs_out();
  for (size_t e = 0; e < out.size(); ++e) {
    const auto& irrep = out[e];
    const auto& source = sources_[e];
    if (irrep.l == 0) {
      pieces.push_back(scalars.narrow(1, source.offset, irrep.dim()));
    } else {
      const auto values = input.narrow(1, source.offset, irrep.dim()).view({-1, irrep.mul, irrep.ir_dim()});
      const auto g = gates.narrow(1, source.gate_offset - num_scalars_, irrep.mul).unsqueeze(-1);
      pieces.push_back((values * g).view({-1, irrep.dim()}));
    }
  }
  return torch::cat(pieces, 1);
}

void GateImpl::pretty_print(std::ostream& stream) const {
  stream << "e3::nn::Gate(" << rs_in_.str() << " -> " << options.rs_out().str() << ", "
         << to_string(options.scalar_activation()) << ", " << to_string(options.gate_activation()) << ")";
}

}  // namespace e3::nn
