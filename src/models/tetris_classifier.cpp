#include "e3/models/tetris_classifier.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

#include "e3/nn/edge_inputs.h"

namespace e3::models {

TetrisClassifierImpl::TetrisClassifierImpl(TetrisClassifierOptions options_) : options(std::move(options_)) { reset(); }

o3::Rs TetrisClassifierImpl::hidden_rs() const {
  std::vector<o3::Irrep> entries;
  for (int l = 0; l <= options.lmax(); ++l) entries.push_back({options.multiplicity(), l});
  return o3::Rs(entries);
}

void TetrisClassifierImpl::reset() {
  if (options.lmax() < 0) throw std::invalid_argument("tetris classifier: lmax must not be negative");
  if (options.multiplicity() < 1 || options.layers() < 1 || options.num_classes() < 1) {
    throw std::invalid_argument("tetris classifier: multiplicity, layers and num_classes must be positive");
  }
  basis = register_module("basis", nn::RadialBasis(options.basis()));
  const auto kernel = nn::KernelOptions()
                          .lf_max(options.lmax())
                          .num_bases(options.basis().num_bases())
                          .radial_hidden(options.radial_hidden())
                          .radial_layers(options.radial_layers())
                          .avg_num_neighbors(options.avg_num_neighbors());
  const o3::Rs hidden = hidden_rs();
  // One constant scalar per point goes in.
  stack = register_module("stack", nn::GatedStack(nn::GatedStackOptions(o3::Rs{{1, 0}}, hidden, options.layers())
                                                      .kernel(kernel)
                                                      .scalar_activation(options.scalar_activation())
                                                      .gate_activation(options.gate_activation())));
  // The scores are the last layer's output as it is: no gate, no residual.
  output = register_module(
      "output", nn::KernelConv(nn::KernelConvOptions(hidden, o3::Rs{{options.num_classes(), 0}}).kernel(kernel)));
}

torch::Tensor TetrisClassifierImpl::forward(const PointClouds& clouds) {
  const auto edges = nn::embed_edges(clouds.graph, clouds.positions, basis, options.lmax());
  const auto features =
      output->forward(stack->forward(torch::ones({clouds.positions.size(0), 1}, clouds.positions.options()), edges), edges);
  // Sum over the points of each cloud: invariant features summed stay invariant, and the
  // sum does not depend on the order of the points.
  return torch::zeros({clouds.num_clouds, options.num_classes()}, features.options())
      .index_add(0, clouds.cloud_index, features);
}

void TetrisClassifierImpl::pretty_print(std::ostream& stream) const {
  stream << "e3::models::TetrisClassifier(lmax=" << options.lmax() << ", hidden=" << hidden_rs().str()
         << ", layers=" << options.layers() << ", classes=" << options.num_classes() << ", cutoff=" << cutoff() << ")";
}

}  // namespace e3::models
