#pragma once
// Several point clouds (molecules, shapes) as one graph: the input of the models.

#include <torch/types.h>

#include <vector>

#include "e3/nn/graph.h"

namespace e3::models {

struct PointClouds {
  torch::Tensor positions;    ///< [N, 3] floating, the points of every cloud
  torch::Tensor cloud_index;  ///< [N] int64, the cloud (0..num_clouds-1) each point belongs to
  int64_t num_clouds = 0;
  nn::Graph graph;  ///< every ordered pair of distinct points of one cloud closer than the cutoff
};

/// Concatenates `clouds` (each [n_i, 3], n_i >= 1, all of one floating dtype) and connects
/// every ordered pair of distinct points of a cloud that are strictly closer than `cutoff`
/// (nn::radius_graph). Throws std::invalid_argument for an empty list, a cloud of the wrong
/// shape or mixed dtypes.
PointClouds batch_point_clouds(const std::vector<torch::Tensor>& clouds, double cutoff);

}  // namespace e3::models
