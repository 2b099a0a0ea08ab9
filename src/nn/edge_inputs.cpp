#include "e3/nn/edge_inputs.h"

#include <torch/torch.h>

#include <numeric>
#include <vector>

namespace e3::nn {

EdgeInputs embed_edges(const Graph& graph, const torch::Tensor& positions, RadialBasis& basis, int lf_max,
                       o3::ShNormalization normalization) {
  EdgeInputs inputs;
  inputs.graph = graph;
  inputs.vectors = positions.index_select(0, graph.edge_src) - positions.index_select(0, graph.edge_dst);
  std::vector<int> orders(lf_max + 1);
  std::iota(orders.begin(), orders.end(), 0);
  inputs.harmonics =
      o3::spherical_harmonics(orders, inputs.vectors, o3::SphericalHarmonicsOptions().normalization(normalization));
  inputs.basis = basis->forward(inputs.vectors.norm(2, -1));
  return inputs;
}

}  // namespace e3::nn
