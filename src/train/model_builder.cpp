#include "e3/train/model_builder.h"

#include <torch/torch.h>

#include "e3/data/elements.h"
#include "e3/nn/activation.h"

namespace e3::train {

models::LNetOptions lnet_options(const TrainConfig& config, double avg_num_neighbors) {
  const auto representation = o3::Rs::parse(config.string("representation"));
  const int lf_max = config.integer("lf_max") >= 0 ? static_cast<int>(config.integer("lf_max"))
                                                     : 2 * representation.lmax();
  const auto basis = nn::RadialBasisOptions(nn::radial_basis_type_from_string(config.string("radial_basis")),
                                            config.integer("num_bases"), config.number("max_radius"))
                         .gaussian_cutoff(config.number("gaussian_cutoff"));
  const auto kernel = nn::KernelOptions()
                          .lf_max(lf_max)
                          .num_bases(config.integer("num_bases"))
                          .radial_hidden(config.integer("radial_hidden"))
                          .radial_layers(config.integer("radial_layers"))
                          .radial_activation(nn::activation_from_string(config.string("radial_activation")))
                          .avg_num_neighbors(avg_num_neighbors);
  return models::LNetOptions()
      .representation(representation)
      .elements(data::parse_element_list(config.string("elements")))
      .embedding_size(config.integer("embedding_size"))
      .layers(config.integer("layers"))
      .radial_basis(basis)
      .kernel(kernel)
      .scalar_activation(nn::activation_from_string(config.string("scalar_activation")))
      .gate_activation(nn::activation_from_string(config.string("gate_activation")))
      .residual(config.boolean("residual"))
      .readout(nn::readout_from_string(config.string("readout")));
}

double config_cutoff(const TrainConfig& config) {
  return nn::RadialBasis(lnet_options(config, 1.0).radial_basis())->cutoff();
}

torch::Dtype config_dtype(const TrainConfig& config) {
  return config.string("dtype") == "float64" ? torch::kDouble : torch::kFloat;
}

models::PointClouds point_clouds(const data::Batch& batch) {
  models::PointClouds clouds;
  clouds.positions = batch.positions;
  clouds.cloud_index = batch.molecule_index;
  clouds.num_clouds = batch.num_molecules();
  clouds.graph = nn::Graph::from_edges(batch.edge_src, batch.edge_dst, batch.num_atoms());
  return clouds;
}

}  // namespace e3::train
