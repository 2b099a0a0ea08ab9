#include "e3/train/model_builder.h"

#include <torch/torch.h>

#include <algorithm>

#include "e3/data/elements.h"
#include "e3/nn/activation.h"

namespace e3::train {

std::vector<data::Target> config_targets(const TrainConfig& config) {
  return data::parse_target_list(config.string("targets"));
}

nn::Readout target_readout(const TrainConfig& config, data::Target target) {
  const std::string& readout = config.string("readout");
  if (readout != "auto") return nn::readout_from_string(readout);
  const bool intensive = target == data::Target::homo || target == data::Target::lumo || target == data::Target::gap;
  return intensive ? nn::Readout::mean : nn::Readout::sum;
}

models::MoleculeNetOptions model_options(const TrainConfig& config, double avg_num_neighbors) {
  const bool lnet = config.string("model") == "lnet";
  const auto representation = o3::Rs::parse(config.string("representation"));
  const auto output_representation = o3::Rs::parse(config.string("output_representation"));
  const int lmax = lnet ? representation.lmax() : std::max(representation.lmax(), output_representation.lmax());
  const int lf_max = config.integer("lf_max") >= 0 ? static_cast<int>(config.integer("lf_max")) : 2 * lmax;
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

  std::vector<nn::Readout> readouts;
  for (auto target : config_targets(config)) readouts.push_back(target_readout(config, target));
  models::MoleculeNetOptions options;
  if (lnet) {
    options = models::lnet_options(representation, config.integer("layers"), readouts);
  } else {
    // Figure 3.6: every output block has its own gated layers and MLP (Table 3.4's "Output" rows).
    std::vector<models::HeadOptions> heads;
    for (auto readout : readouts) {
      heads.push_back(models::HeadOptions()
                          .representation(output_representation)
                          .layers(config.integer("output_layers"))
                          .mlp_layers(config.integer("output_mlp_layers"))
                          .mlp_neurons(config.integer("output_mlp_neurons"))
                          .readout(readout));
    }
    options.representation(representation).layers(config.integer("featurization_layers")).heads(heads);
  }
  return options.elements(data::parse_element_list(config.string("elements")))
      .embedding_size(config.integer("embedding_size"))
      .radial_basis(basis)
      .kernel(kernel)
      .scalar_activation(nn::activation_from_string(config.string("scalar_activation")))
      .gate_activation(nn::activation_from_string(config.string("gate_activation")))
      .residual(config.boolean("residual"));
}

double config_cutoff(const TrainConfig& config) {
  return nn::RadialBasis(model_options(config, 1.0).radial_basis())->cutoff();
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
