#include "e3/train/model_builder.h"

#include <torch/torch.h>

#include <algorithm>

#include "e3/data/atom_refs.h"
#include "e3/data/elements.h"
#include "e3/nn/activation.h"
#include "e3/train/moment_statistics.h"
#include "e3/train/readout_choice.h"

namespace e3::train {

std::vector<data::Target> config_targets(const TrainConfig& config) {
  return data::parse_target_list(config.string("targets"));
}

nn::Readout target_readout(const TrainConfig& config, data::Target target) {
  return chosen_readout(config.string("readout"), target);
}

models::MoleculeNetOptions model_options(const TrainConfig& config, double avg_num_neighbors) {
  const bool lnet = config.string("model") == "lnet";
  const auto representation = o3::Rs::parse(config.string("representation"));
  const auto output_representation = o3::Rs::parse(config.string("output_representation"));
  const int lmax = lnet ? representation.lmax() : std::max(representation.lmax(), output_representation.lmax());
  std::vector<nn::Readout> readouts;
  for (auto target : config_targets(config)) readouts.push_back(target_readout(config, target));
  // A dipole head's last convolution writes a vector: from scalar features (L0Net) only a filter
  // of order 1 reaches it.
  const bool dipole = std::count(readouts.begin(), readouts.end(), nn::Readout::dipole) > 0;
  const int lf_max = config.integer("lf_max") >= 0 ? static_cast<int>(config.integer("lf_max"))
                                                    : std::max(2 * lmax, dipole ? 1 : 0);
  const auto basis = nn::RadialBasisOptions(nn::radial_basis_type_from_string(config.string("radial_basis")),
                                            config.integer("num_bases"), config.number("max_radius"))
                         .gaussian_cutoff(config.number("gaussian_cutoff"))
                         .envelope(nn::envelope_from_string(config.string("envelope")))
                         .envelope_exponent(config.integer("envelope_exponent"));
  const auto kernel = nn::KernelOptions()
                          .lf_max(lf_max)
                          .num_bases(config.integer("num_bases"))
                          .radial_hidden(config.integer("radial_hidden"))
                          .radial_layers(config.integer("radial_layers"))
                          .radial_activation(nn::activation_from_string(config.string("radial_activation")))
                          .avg_num_neighbors(avg_num_neighbors)
                          .precision(config_precision(config));

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

std::vector<data::TargetStatistics> fit_output_layers(models::MoleculeNetImpl& model, const data::Dataset& dataset,
                                                      const std::vector<size_t>& training,
                                                      const std::vector<data::Target>& targets) {
  std::vector<data::TargetStatistics> result;
  for (size_t h = 0; h < targets.size(); ++h) {
    const auto target = targets[h];
    auto& readout = model.head(static_cast<int64_t>(h))->readout;
    const auto kind = readout->options.readout();
    const auto with_target = dataset.with_target(training, target);
    const auto statistics = data::target_statistics(dataset, with_target, target, per_atom_statistics(kind));
    if (!(statistics.std > 0.0)) {
      throw ConfigError(std::string("the training molecules all have the same ") + data::target_name(target) +
                        ": there is nothing to learn");
    }
    // The physical readouts have no per-atom shift; their std is the loss' unit alone.
    switch (kind) {
      case nn::Readout::sum:
      case nn::Readout::mean: readout->set_statistics(statistics.mean, statistics.std); break;
      case nn::Readout::dipole:
        readout->set_statistics(0.0, statistics.std);
        readout->set_scale(dipole_scale(dataset, with_target));
        break;
      case nn::Readout::spatial_extent: {
        const auto weights = spatial_extent_weights(dataset, with_target);
        readout->set_statistics(weights.mean, statistics.std);
        readout->set_scale(weights.scale);
        break;
      }
    }
    std::vector<double> references;
    for (int64_t z : model.options.elements()) references.push_back(data::atom_reference(z, target));
    readout->set_references(torch::tensor(references, torch::kDouble));
    result.push_back(statistics);
  }
  return result;
}

bool per_atom_statistics(nn::Readout readout) { return readout != nn::Readout::mean; }

double config_cutoff(const TrainConfig& config) {
  return nn::RadialBasis(model_options(config, 1.0).radial_basis())->cutoff();
}

nn::GemmPrecision config_precision(const TrainConfig& config) {
  const auto requested = nn::gemm_precision_from_string(config.string("precision"));
  return requested == nn::GemmPrecision::bf16_mixed && !nn::cpu_has_bf16_gemm() ? nn::GemmPrecision::float32
                                                                                : requested;
}

std::string precision_notice(const TrainConfig& config) {
  if (config.string("precision") != "bf16-mixed" || nn::cpu_has_bf16_gemm()) return "";
  return "precision bf16-mixed: this CPU has neither AVX512_BF16 nor AMX; running float32";
}

std::unique_ptr<torch::optim::Optimizer> config_optimizer(const TrainConfig& config,
                                                          const std::vector<torch::Tensor>& parameters) {
  const double rate = config.number("learning_rate"), decay = config.number("weight_decay");
  if (decay > 0.0) {
    return std::make_unique<torch::optim::AdamW>(parameters, torch::optim::AdamWOptions(rate).weight_decay(decay));
  }
  return std::make_unique<torch::optim::Adam>(parameters, torch::optim::AdamOptions(rate));
}

LossOptions config_loss(const TrainConfig& config) {
  return LossOptions().kind(loss_kind_from_string(config.string("loss"))).huber_delta(config.number("huber_delta"));
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
