#include "e3/models/target_head.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

namespace e3::models {

TargetHeadImpl::TargetHeadImpl(TargetHeadOptions options_) : options(std::move(options_)) { reset(); }

void TargetHeadImpl::reset() {
  const auto& head = options.head();
  if (head.layers() < 0 || head.mlp_layers() < 0 || head.mlp_neurons() < 0) {
    throw std::invalid_argument("output block: layer and neuron counts must not be negative");
  }
  if (head.mlp_layers() > 0 && head.mlp_neurons() < 1) {
    throw std::invalid_argument("output block: an MLP needs at least one neuron per layer");
  }
  stack = register_module("stack", nn::GatedStack(nn::GatedStackOptions(options.rs_in(), head.representation(),
                                                                        head.layers())
                                                      .kernel(options.kernel())
                                                      .scalar_activation(options.scalar_activation())
                                                      .gate_activation(options.gate_activation())
                                                      .residual(options.residual())));
  // Scalars carry parity +1 (e) when the representations have parity.
  // The dipole readout also reads an atomic dipole: a vector, parity -1 (o).
  const int scalar_parity = options.rs_in().has_parity() ? 1 : 0;
  const int64_t scalars = head.mlp_layers() > 0 ? head.mlp_neurons() : 1;
  o3::Rs rs_out{{scalars, 0, scalar_parity}};
  if (head.readout() == nn::Readout::dipole) rs_out = o3::Rs{{scalars, 0, scalar_parity}, {1, 1, -scalar_parity}};
  output = register_module("output", nn::KernelConv(nn::KernelConvOptions(stack->rs_out(), rs_out).kernel(options.kernel())));
  if (head.mlp_layers() > 0) {
    mlp = register_module("mlp", nn::MLP(nn::MLPOptions(scalars, 1)
                                             .hidden(head.mlp_neurons())
                                             .layers(head.mlp_layers())
                                             .activation(nn::Activation::relu)));
  } else {
    mlp = nullptr;
  }
  readout = register_module("readout", nn::ScaleShiftReadout(nn::ScaleShiftReadoutOptions(options.num_types())
                                                                  .readout(head.readout())
                                                                  .centre_weights(options.centre_weights())));
}

torch::Tensor TargetHeadImpl::atom_values(const torch::Tensor& features, const nn::EdgeInputs& edges) {
  return readout_inputs(output->forward(stack->forward(features, edges), edges));
}

int64_t TargetHeadImpl::output_scalars(const torch::Tensor& convolved) const {
  return convolved.size(1) - (options.head().readout() == nn::Readout::dipole ? 3 : 0);
}

torch::Tensor TargetHeadImpl::readout_inputs(const torch::Tensor& convolved) {
  const int64_t scalars = output_scalars(convolved);
  auto values = convolved.narrow(1, 0, scalars);
  if (mlp) values = mlp->forward(values);
  if (options.head().readout() == nn::Readout::dipole) return torch::cat({values, convolved.narrow(1, scalars, 3)}, 1);
  return values.squeeze(-1);
}

torch::Tensor TargetHeadImpl::forward(const torch::Tensor& features, const nn::EdgeInputs& edges,
                                      const torch::Tensor& types, const torch::Tensor& cloud_index,
                                      int64_t num_clouds, const torch::Tensor& positions) {
  return readout->forward(atom_values(features, edges), types, cloud_index, num_clouds, positions);
}

torch::Tensor TargetHeadImpl::dipole_vectors(const torch::Tensor& features, const nn::EdgeInputs& edges,
                                             const torch::Tensor& cloud_index, int64_t num_clouds,
                                             const torch::Tensor& positions) {
  return readout->dipole_vectors(atom_values(features, edges), cloud_index, num_clouds, positions);
}

void TargetHeadImpl::calibrate(const torch::Tensor& features, const nn::EdgeInputs& edges) {
  torch::NoGradGuard no_grad;
  const auto hidden = stack->calibrate(features, edges);
  output->normalize_output(output->forward(hidden, edges));
  if (!mlp) return;
  const auto convolved = output->forward(hidden, edges);
  const double moment = mlp->forward(convolved.narrow(1, 0, output_scalars(convolved))).pow(2).mean().item<double>();
  if (moment > 0.0 && std::isfinite(moment)) {
    mlp->scale_outputs(torch::full({1}, 1.0 / std::sqrt(moment), torch::kDouble));
  }
}

void TargetHeadImpl::pretty_print(std::ostream& stream) const {
  const auto& head = options.head();
  stream << "e3::models::TargetHead(layers=" << head.layers();
  if (head.layers() > 0) stream << " of " << head.representation().str();
  stream << ", mlp=" << head.mlp_layers() << "x" << head.mlp_neurons() << ", " << nn::to_string(head.readout()) << ")";
}

}  // namespace e3::models
