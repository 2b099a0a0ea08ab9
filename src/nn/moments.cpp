#include "e3/nn/moments.h"

#include <torch/torch.h>

namespace e3::nn {

torch::Tensor weighted_centres(const torch::Tensor& positions, const torch::Tensor& weights,
                               const torch::Tensor& cloud_index, int64_t num_clouds) {
  const auto zeros = torch::zeros({num_clouds}, weights.options());
  const auto total = zeros.index_add(0, cloud_index, weights).clamp_min(1e-300);
  const auto moments =
      torch::zeros({num_clouds, 3}, positions.options()).index_add(0, cloud_index, positions * weights.unsqueeze(1));
  return moments / total.unsqueeze(1);
}

torch::Tensor neutral_charges(const torch::Tensor& charges, const torch::Tensor& cloud_index, int64_t num_clouds) {
  const auto totals = torch::zeros({num_clouds}, charges.options()).index_add(0, cloud_index, charges);
  const auto counts = torch::bincount(cloud_index, {}, num_clouds).to(charges.scalar_type()).clamp_min(1);
  return charges - (totals / counts).index_select(0, cloud_index);
}

torch::Tensor dipole_vectors(const torch::Tensor& charges, const torch::Tensor& atomic_dipoles,
                             const torch::Tensor& positions, const torch::Tensor& cloud_index, int64_t num_clouds) {
  const auto centres = weighted_centres(positions, torch::ones_like(charges), cloud_index, num_clouds);
  const auto relative = positions - centres.index_select(0, cloud_index);
  auto atom_moments = neutral_charges(charges, cloud_index, num_clouds).unsqueeze(1) * relative;
  if (atomic_dipoles.defined()) atom_moments = atom_moments + atomic_dipoles;
  return torch::zeros({num_clouds, 3}, charges.options()).index_add(0, cloud_index, atom_moments) *
         kDebyePerElectronAngstrom;
}

torch::Tensor smooth_norm(const torch::Tensor& vectors) {
  return (vectors.pow(2).sum(-1) + kNormEpsilon * kNormEpsilon).sqrt();
}

torch::Tensor spatial_extents(const torch::Tensor& weights, const torch::Tensor& positions,
                              const torch::Tensor& centre_weights, const torch::Tensor& cloud_index,
                              int64_t num_clouds) {
  const auto centres = weighted_centres(positions, centre_weights, cloud_index, num_clouds);
  const auto squared = (positions - centres.index_select(0, cloud_index)).pow(2).sum(1);
  return torch::zeros({num_clouds}, weights.options()).index_add(0, cloud_index, weights * squared) /
         (kBohrRadiusAngstrom * kBohrRadiusAngstrom);
}

}  // namespace e3::nn
