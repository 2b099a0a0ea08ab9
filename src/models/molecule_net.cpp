#include "e3/models/molecule_net.h"

#include <ATen/record_function.h>
#include <torch/torch.h>

#include <stdexcept>
#include <string>

#include "e3/nn/moments.h"
#include "e3/nn/step_parts.h"

namespace e3::models {
namespace {

constexpr int64_t kMaxAtomicNumber = 118;

}  // namespace

MoleculeNetOptions lnet_options(const o3::Rs& representation, int64_t layers, const std::vector<nn::Readout>& readouts) {
  if (layers < 1) throw std::invalid_argument("L-Net: at least one layer");
  std::vector<HeadOptions> heads;
  for (auto readout : readouts) heads.push_back(HeadOptions().readout(readout));
  return MoleculeNetOptions().representation(representation).layers(layers - 1).heads(heads);
}

MoleculeNetImpl::MoleculeNetImpl(MoleculeNetOptions options_) : options(std::move(options_)) { reset(); }

void MoleculeNetImpl::reset() {
  const auto& elements = options.elements();
  if (elements.empty()) throw std::invalid_argument("molecule network: no elements");
  if (options.heads().empty()) throw std::invalid_argument("molecule network: no output (no target)");
  if (options.radial_basis().num_bases() != options.kernel().num_bases()) {
    throw std::invalid_argument("molecule network: the kernel's num_bases must equal the radial basis' size");
  }
  type_of_element_.assign(kMaxAtomicNumber + 1, -1);
  for (size_t t = 0; t < elements.size(); ++t) {
    const int64_t z = elements[t];
    if (z < 1 || z > kMaxAtomicNumber) {
      throw std::invalid_argument("molecule network: no element has atomic number " + std::to_string(z));
    }
    if (type_of_element_[z] >= 0) throw std::invalid_argument("molecule network: element " + std::to_string(z) + " given twice");
    type_of_element_[z] = static_cast<int64_t>(t);
  }
  type_table_ = torch::tensor(type_of_element_, torch::kLong);

  const auto num_types = static_cast<int64_t>(elements.size());
  embedding = register_module("embedding", torch::nn::Embedding(num_types, options.embedding_size()));
  basis = register_module("basis", nn::RadialBasis(options.radial_basis()));
  // Scalars carry parity +1 (e) when the representation has parity.
  const int scalar_parity = options.representation().has_parity() ? 1 : 0;
  featurization = register_module(
      "featurization", nn::GatedStack(nn::GatedStackOptions(o3::Rs{{options.embedding_size(), 0, scalar_parity}},
                                                            options.representation(), options.layers())
                                          .kernel(options.kernel())
                                          .scalar_activation(options.scalar_activation())
                                          .gate_activation(options.gate_activation())
                                          .residual(options.residual())));
  heads.clear();
  // The spatial extent's centre is the centre of nuclear charge.
  const std::vector<double> nuclear_charges(elements.begin(), elements.end());
  for (size_t i = 0; i < options.heads().size(); ++i) {
    heads.push_back(register_module(
        "head" + std::to_string(i),
        TargetHead(TargetHeadOptions(featurization->rs_out(), num_types, options.heads()[i])
                       .kernel(options.kernel())
                       .scalar_activation(options.scalar_activation())
                       .gate_activation(options.gate_activation())
                       .residual(options.residual())
                       .centre_weights(nuclear_charges))));
  }
}

bool MoleculeNetImpl::embeds(int64_t z) const {
  return z >= 0 && z <= kMaxAtomicNumber && type_of_element_[static_cast<size_t>(z)] >= 0;
}

torch::Tensor MoleculeNetImpl::types(const torch::Tensor& atomic_numbers) const {
  const auto z = atomic_numbers.to(torch::kLong).contiguous();
  const int64_t* values = z.data_ptr<int64_t>();
  for (int64_t i = 0; i < z.numel(); ++i) {
    if (embeds(values[i])) continue;
    std::string known;
    for (int64_t e : options.elements()) known += (known.empty() ? "" : ", ") + std::to_string(e);
    throw std::invalid_argument("atomic number " + std::to_string(values[i]) + " is not one of the model's elements (" +
                                known + ")");
  }
  return type_table_.index_select(0, z);
}

nn::EdgeInputs MoleculeNetImpl::edge_inputs(const PointClouds& molecules) {
  RECORD_USER_SCOPE(nn::step_parts::kEdgeEmbedding.scope);
  const auto& kernel = options.kernel();
  return nn::embed_edges(molecules.graph, molecules.positions, basis, kernel.lf_max(), kernel.harmonics_normalization());
}

MoleculePredictions MoleculeNetImpl::predict(const PointClouds& molecules, const torch::Tensor& atomic_numbers) {
  torch::Tensor atom_types, embedded;
  {
    RECORD_USER_SCOPE(nn::step_parts::kEmbedding.scope);
    atom_types = types(atomic_numbers);
    embedded = embedding->forward(atom_types);
  }
  const auto edges = edge_inputs(molecules);
  const auto features = featurization->forward(embedded, edges);
  // The heads' convolutions are parts of their own (step_parts.h): the scope keeps the rest.
  RECORD_USER_SCOPE(nn::step_parts::kOutputHeads.scope);
  std::vector<torch::Tensor> outputs;
  MoleculePredictions predictions;
  for (auto& head : heads) {
    if (head->readout->options.readout() == nn::Readout::dipole) {
      auto vectors = head->dipole_vectors(features, edges, molecules.cloud_index, molecules.num_clouds,
                                          molecules.positions);
      outputs.push_back(nn::smooth_norm(vectors));
      predictions.dipoles.push_back(std::move(vectors));
    } else {
      outputs.push_back(head->forward(features, edges, atom_types, molecules.cloud_index, molecules.num_clouds,
                                      molecules.positions));
      predictions.dipoles.emplace_back();
    }
  }
  predictions.values = torch::stack(outputs, 1);
  return predictions;
}

torch::Tensor MoleculeNetImpl::forward(const PointClouds& molecules, const torch::Tensor& atomic_numbers) {
  return predict(molecules, atomic_numbers).values;
}

void MoleculeNetImpl::calibrate(const PointClouds& molecules, const torch::Tensor& atomic_numbers) {
  torch::NoGradGuard no_grad;
  const auto edges = edge_inputs(molecules);
  const auto features = featurization->calibrate(embedding->forward(types(atomic_numbers)), edges);
  for (auto& head : heads) head->calibrate(features, edges);
}

void MoleculeNetImpl::pretty_print(std::ostream& stream) const {
  stream << "e3::models::MoleculeNet(" << options.representation().str() << ", featurization layers="
         << options.layers() << ", heads=" << heads.size() << ", lf_max=" << options.kernel().lf_max() << ")";
}

}  // namespace e3::models
