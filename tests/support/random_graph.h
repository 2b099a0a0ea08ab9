#pragma once
// Random molecule-like point clouds for layer tests.

#include <torch/torch.h>

#include <vector>

#include "e3/nn/graph.h"

namespace e3::testing {

struct RandomCloud {
  torch::Tensor positions;  ///< [N, 3] float64
  torch::Tensor molecule;   ///< [N] int64, the cloud each point belongs to
  nn::Graph graph;          ///< every ordered pair of distinct points of a cloud closer than the cutoff
};

/// Clouds with the given numbers of points, coordinates ~ N(0, spread^2) (Angstrom).
RandomCloud random_cloud(const std::vector<int64_t>& sizes, double cutoff, uint64_t seed, double spread = 1.5);

}  // namespace e3::testing
