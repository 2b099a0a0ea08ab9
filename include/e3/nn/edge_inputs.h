#pragma once
// What every KernelConv of a network reads from the geometry of a batch, computed once.

#include <torch/types.h>

#include "e3/nn/graph.h"
#include "e3/nn/radial_basis.h"
#include "e3/o3/spherical_harmonics.h"

namespace e3::nn {

struct EdgeInputs {
  Graph graph;
  torch::Tensor vectors;    ///< [E, 3] r_src - r_dst: the thesis' r_B - r_A
  torch::Tensor harmonics;  ///< [E, (lf_max + 1)^2] Y^0..Y^lf_max of the edge directions (2.39)
  torch::Tensor basis;      ///< [E, num_bases] the radial basis of the edge lengths d_AB
};

/// Edge vectors from `positions` ([N, 3], differentiable), their harmonics up to `lf_max`
/// and their radial basis values.
EdgeInputs embed_edges(const Graph& graph, const torch::Tensor& positions, RadialBasis& basis, int lf_max,
                       o3::ShNormalization normalization = o3::ShNormalization::integral);

}  // namespace e3::nn
