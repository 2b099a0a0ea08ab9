#include "e3/nn/scale_shift_readout.h"

#include <torch/torch.h>

#include <stdexcept>

namespace e3::nn {

Readout readout_from_string(const std::string& name) {
  if (name == "sum") return Readout::sum;
  if (name == "mean") return Readout::mean;
  throw std::invalid_argument("unknown readout '" + name + "' (valid: sum, mean)");
}

std::string to_string(Readout readout) { return readout == Readout::sum ? "sum" : "mean"; }

ScaleShiftReadoutImpl::ScaleShiftReadoutImpl(ScaleShiftReadoutOptions options_) : options(std::move(options_)) {
  reset();
}

void ScaleShiftReadoutImpl::reset() {
  if (options.num_types() < 1) throw std::invalid_argument("readout: num_types must be at least 1");
  references_ = register_buffer("references", torch::zeros({options.num_types()}, torch::kDouble));
  mean_ = register_buffer("mean", torch::zeros({}, torch::kDouble));
  std_ = register_buffer("std", torch::ones({}, torch::kDouble));
}

void ScaleShiftReadoutImpl::set_statistics(double mean, double std) {
  if (!(std > 0.0)) throw std::invalid_argument("readout: std must be positive");
  torch::NoGradGuard no_grad;
  mean_.fill_(mean);
  std_.fill_(std);
}

void ScaleShiftReadoutImpl::set_references(const torch::Tensor& references) {
  if (references.dim() != 1 || references.size(0) != options.num_types()) {
    throw std::invalid_argument("readout: references must have one value per type");
  }
  torch::NoGradGuard no_grad;
  references_.copy_(references);
}

torch::Tensor ScaleShiftReadoutImpl::forward(const torch::Tensor& atom_values, const torch::Tensor& types,
                                             const torch::Tensor& cloud_index, int64_t num_clouds) {
  // In float64 whatever the network's dtype: p_m of a QM9 energy is ~1e4 eV, and float32
  // would round it by ~1 meV.
  const auto values = atom_values.to(torch::kDouble);
  const auto scaled = values * std_ + mean_;  // t~ + sigma R_a, (2.60)
  auto aggregated = torch::zeros({num_clouds}, values.options()).index_add(0, cloud_index, scaled);
  if (options.readout() == Readout::mean) {
    aggregated = aggregated / torch::bincount(cloud_index, {}, num_clouds).to(torch::kDouble).clamp_min(1);
  }
  const auto bias =
      torch::zeros({num_clouds}, values.options()).index_add(0, cloud_index, references_.index_select(0, types));
  return aggregated + bias;  // (2.58) + (2.60)
}

void ScaleShiftReadoutImpl::to(torch::Dtype /*dtype*/, bool /*non_blocking*/) {}

void ScaleShiftReadoutImpl::to(torch::Device device, torch::Dtype /*dtype*/, bool non_blocking) {
  torch::nn::Module::to(device, non_blocking);
}

void ScaleShiftReadoutImpl::pretty_print(std::ostream& stream) const {
  stream << "e3::nn::ScaleShiftReadout(" << to_string(options.readout()) << ", mean=" << mean() << ", std=" << std()
         << ")";
}

}  // namespace e3::nn
