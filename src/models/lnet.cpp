#include "e3/models/lnet.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "e3/nn/edge_inputs.h"

namespace e3::models {
namespace {

constexpr int64_t kMaxAtomicNumber = 118;

}  // namespace

LNetImpl::LNetImpl(LNetOptions options_) : options(std::move(options_)) { reset(); }

void LNetImpl::reset() {
  const auto& elements = options.elements();
  if (elements.empty()) throw std::invalid_argument("L-Net: no elements");
  if (options.layers() < 1) throw std::invalid_argument("L-Net: at least one layer");
  if (options.radial_basis().num_bases() != options.kernel().num_bases()) {
    throw std::invalid_argument("L-Net: the kernel's num_bases must equal the radial basis' size");
  }
  auto type_of_element = torch::full({kMaxAtomicNumber + 1}, -1, torch::kLong);
  for (size_t t = 0; t < elements.size(); ++t) {
    const int64_t z = elements[t];
    if (z < 1 || z > kMaxAtomicNumber) throw std::invalid_argument("L-Net: no element has atomic number " + std::to_string(z));
    if (type_of_element[z].item<int64_t>() >= 0) throw std::invalid_argument("L-Net: element " + std::to_string(z) + " given twice");
    type_of_element[z] = static_cast<int64_t>(t);
  }
  type_of_element_ = type_of_element;

  const auto num_types = static_cast<int64_t>(elements.size());
  embedding = register_module("embedding", torch::nn::Embedding(num_types, options.embedding_size()));
  basis = register_module("basis", nn::RadialBasis(options.radial_basis()));

  // Scalars carry parity +1 (e) when the representation has parity.
  const int scalar_parity = options.representation().has_parity() ? 1 : 0;
  const o3::Rs embedded{{options.embedding_size(), 0, scalar_parity}};
  const o3::Rs atom_output{{1, 0, scalar_parity}};
  layers.clear();
  for (int64_t i = 0; i < options.layers(); ++i) {
    const bool last = i + 1 == options.layers();
    const o3::Rs& rs_in = i == 0 ? embedded : options.representation();
    const o3::Rs& rs_out = last ? atom_output : options.representation();
    layers.push_back(register_module("layer" + std::to_string(i),
                                     nn::GatedConv(nn::GatedConvOptions(rs_in, rs_out)
                                                       .kernel(options.kernel())
                                                       .gate(!last)
                                                       .scalar_activation(options.scalar_activation())
                                                       .gate_activation(options.gate_activation())
                                                       .residual(options.residual()))));
  }
  readout = register_module("readout",
                            nn::ScaleShiftReadout(nn::ScaleShiftReadoutOptions(num_types).readout(options.readout())));
}

torch::Tensor LNetImpl::types(const torch::Tensor& atomic_numbers) const {
  const auto z = atomic_numbers.to(torch::kLong);
  const auto in_range = (z >= 0) & (z <= kMaxAtomicNumber);
  const auto types = type_of_element_.index_select(0, z.clamp(0, kMaxAtomicNumber));
  const auto unknown = ~in_range | (types < 0);
  if (unknown.any().item<bool>()) {
    const int64_t bad = z.index({unknown.nonzero()[0][0]}).item<int64_t>();
    std::string known;
    for (int64_t e : options.elements()) known += (known.empty() ? "" : ", ") + std::to_string(e);
    throw std::invalid_argument("atomic number " + std::to_string(bad) + " is not one of the model's elements (" +
                                known + ")");
  }
  return types;
}

nn::EdgeInputs LNetImpl::edge_inputs(const PointClouds& molecules) {
  const auto& kernel = options.kernel();
  return nn::embed_edges(molecules.graph, molecules.positions, basis, kernel.lf_max(), kernel.harmonics_normalization());
}

torch::Tensor LNetImpl::forward(const PointClouds& molecules, const torch::Tensor& atomic_numbers) {
  const auto atom_types = types(atomic_numbers);
  const auto edges = edge_inputs(molecules);
  auto features = embedding->forward(atom_types);
  for (auto& layer : layers) features = layer->forward(features, edges);
  return readout->forward(features.squeeze(-1), atom_types, molecules.cloud_index, molecules.num_clouds);
}

void LNetImpl::calibrate(const PointClouds& molecules, const torch::Tensor& atomic_numbers) {
  torch::NoGradGuard no_grad;
  nn::calibrate_stack(layers, embedding->forward(types(atomic_numbers)), edge_inputs(molecules));
}

void LNetImpl::pretty_print(std::ostream& stream) const {
  stream << "e3::models::LNet(" << options.representation().str() << ", layers=" << options.layers()
         << ", lf_max=" << options.kernel().lf_max() << ")";
}

}  // namespace e3::models
