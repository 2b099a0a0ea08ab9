#include "e3/nn/scale_shift_readout.h"

#include <torch/torch.h>

#include <stdexcept>

#include "e3/nn/moments.h"

namespace e3::nn {

Readout readout_from_string(const std::string& name) {
  if (name == "sum") return Readout::sum;
  if (name == "mean") return Readout::mean;
  if (name == "dipole") return Readout::dipole;
  if (name == "spatial_extent") return Readout::spatial_extent;
  throw std::invalid_argument("unknown readout '" + name + "' (valid: sum, mean, dipole, spatial_extent)");
}

std::string to_string(Readout readout) {
  switch (readout) {
    case Readout::sum: return "sum";
    case Readout::mean: return "mean";
    case Readout::dipole: return "dipole";
    case Readout::spatial_extent: return "spatial_extent";
  }
  throw std::logic_error("unhandled readout");
}

bool is_physical(Readout readout) { return readout == Readout::dipole || readout == Readout::spatial_extent; }

int64_t atom_value_width(Readout readout) { return readout == Readout::dipole ? 4 : 1; }

ScaleShiftReadoutImpl::ScaleShiftReadoutImpl(ScaleShiftReadoutOptions options_) : options(std::move(options_)) {
  reset();
}

void ScaleShiftReadoutImpl::reset() {
  if (options.num_types() < 1) throw std::invalid_argument("readout: num_types must be at least 1");
  const auto& weights = options.centre_weights();
  if (!weights.empty() && static_cast<int64_t>(weights.size()) != options.num_types()) {
    throw std::invalid_argument("readout: centre_weights must have one weight per type");
  }
  for (double weight : weights) {
    if (!(weight > 0.0)) throw std::invalid_argument("readout: centre weights must be positive");
  }
  // Derived from the options, so not part of the module's state.
  centre_weights_ = weights.empty() ? torch::ones({options.num_types()}, torch::kDouble)
                                    : torch::tensor(weights, torch::kDouble);
  references_ = register_buffer("references", torch::zeros({options.num_types()}, torch::kDouble));
  mean_ = register_buffer("mean", torch::zeros({}, torch::kDouble));
  std_ = register_buffer("std", torch::ones({}, torch::kDouble));
  // Only the physical kinds have a scale, so that runs of the sum and mean kinds keep the state
  // they always had.
  scale_ = is_physical(options.readout()) ? register_buffer("scale", torch::ones({}, torch::kDouble)) : torch::Tensor();
}

void ScaleShiftReadoutImpl::set_statistics(double mean, double std) {
  if (!(std > 0.0)) throw std::invalid_argument("readout: std must be positive");
  torch::NoGradGuard no_grad;
  mean_.fill_(mean);
  std_.fill_(std);
}

void ScaleShiftReadoutImpl::set_scale(double scale) {
  if (!scale_.defined()) throw std::logic_error("readout: only the dipole and spatial_extent kinds have a scale");
  if (!(scale > 0.0)) throw std::invalid_argument("readout: scale must be positive");
  torch::NoGradGuard no_grad;
  scale_.fill_(scale);
}

void ScaleShiftReadoutImpl::set_references(const torch::Tensor& references) {
  if (references.dim() != 1 || references.size(0) != options.num_types()) {
    throw std::invalid_argument("readout: references must have one value per type");
  }
  torch::NoGradGuard no_grad;
  references_.copy_(references);
}

void ScaleShiftReadoutImpl::check_positions(const torch::Tensor& atom_values, const torch::Tensor& positions) const {
  if (!positions.defined() || positions.dim() != 2 || positions.size(1) != 3 ||
      positions.size(0) != atom_values.size(0)) {
    throw std::invalid_argument("readout " + to_string(options.readout()) + ": needs the atoms' positions [N, 3]");
  }
  const int64_t width = atom_value_width(options.readout());
  const bool shaped = width == 1 ? atom_values.dim() == 1 : atom_values.dim() == 2 && atom_values.size(1) == width;
  if (!shaped) {
    throw std::invalid_argument("readout " + to_string(options.readout()) + ": expects " + std::to_string(width) +
                                " value(s) per atom");
  }
}

std::pair<torch::Tensor, torch::Tensor> ScaleShiftReadoutImpl::charges_and_dipoles(
    const torch::Tensor& atom_values) const {
  const auto values = atom_values.to(torch::kDouble) * scale_;
  if (options.readout() != Readout::dipole) return {values, torch::Tensor()};
  // e3's l = 1 components are ordered (y, z, x), as Y^1 is: back to (x, y, z).
  const auto vector = values.slice(1, 1, 4);
  return {values.select(1, 0), torch::stack({vector.select(1, 2), vector.select(1, 0), vector.select(1, 1)}, 1)};
}

torch::Tensor ScaleShiftReadoutImpl::dipole_vectors(const torch::Tensor& atom_values, const torch::Tensor& cloud_index,
                                                    int64_t num_clouds, const torch::Tensor& positions) {
  if (options.readout() != Readout::dipole) throw std::logic_error("readout: only the dipole kind has vectors");
  check_positions(atom_values, positions);
  const auto [charges, dipoles] = charges_and_dipoles(atom_values);
  return nn::dipole_vectors(charges, dipoles, positions.to(torch::kDouble), cloud_index, num_clouds);
}

torch::Tensor ScaleShiftReadoutImpl::forward(const torch::Tensor& atom_values, const torch::Tensor& types,
                                             const torch::Tensor& cloud_index, int64_t num_clouds,
                                             const torch::Tensor& positions) {
  switch (options.readout()) {
    case Readout::dipole: return smooth_norm(dipole_vectors(atom_values, cloud_index, num_clouds, positions));
    case Readout::spatial_extent: {
      check_positions(atom_values, positions);
      const auto weights = charges_and_dipoles(atom_values).first + mean_;
      const auto centre_weights = centre_weights_.index_select(0, types);
      return spatial_extents(weights, positions.to(torch::kDouble), centre_weights, cloud_index, num_clouds);
    }
    case Readout::sum:
    case Readout::mean: break;
  }
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
  stream << "e3::nn::ScaleShiftReadout(" << to_string(options.readout()) << ", mean=" << mean() << ", std=" << std();
  if (scale_.defined()) stream << ", scale=" << scale();
  stream << ")";
}

}  // namespace e3::nn
