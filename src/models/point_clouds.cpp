#include "e3/models/point_clouds.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace e3::models {

PointClouds batch_point_clouds(const std::vector<torch::Tensor>& clouds, double cutoff) {
  if (clouds.empty()) throw std::invalid_argument("point clouds: no cloud given");
  if (!(cutoff > 0.0)) throw std::invalid_argument("point clouds: the cutoff must be positive");
  const auto dtype = clouds.front().scalar_type();
  std::vector<torch::Tensor> indices;
  for (size_t c = 0; c < clouds.size(); ++c) {
    const auto& cloud = clouds[c];
    if (cloud.dim() != 2 || cloud.size(0) < 1 || cloud.size(1) != 3) {
      throw std::invalid_argument("point clouds: cloud " + std::to_string(c) + " must be [n, 3] with n >= 1");
    }
    if (!cloud.is_floating_point() || cloud.scalar_type() != dtype) {
      throw std::invalid_argument("point clouds: every cloud must have the same floating dtype");
    }
    indices.push_back(torch::full({cloud.size(0)}, static_cast<int64_t>(c), torch::kLong));
  }
  PointClouds batch;
  batch.positions = torch::cat(clouds);
  batch.cloud_index = torch::cat(indices).to(batch.positions.device());
  batch.num_clouds = static_cast<int64_t>(clouds.size());
  batch.graph = nn::radius_graph(batch.positions, batch.cloud_index, cutoff);
  return batch;
}

}  // namespace e3::models
