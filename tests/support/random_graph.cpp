#include "random_graph.h"

namespace e3::testing {

nn::Graph radius_graph(const torch::Tensor& positions, const torch::Tensor& molecule, double cutoff) {
  const auto distance = torch::cdist(positions, positions);
  const auto same = molecule.unsqueeze(0) == molecule.unsqueeze(1);
  const auto distinct = ~torch::eye(positions.size(0), torch::kBool);
  const auto pairs = (same & distinct & (distance < cutoff)).nonzero();  // rows (dst, src)
  return nn::Graph::from_edges(pairs.select(1, 1), pairs.select(1, 0), positions.size(0));
}

RandomCloud random_cloud(const std::vector<int64_t>& sizes, double cutoff, uint64_t seed, double spread) {
  auto generator = at::detail::createCPUGenerator(seed);
  std::vector<torch::Tensor> ids;
  int64_t total = 0;
  for (size_t m = 0; m < sizes.size(); ++m) {
    ids.push_back(torch::full({sizes[m]}, static_cast<int64_t>(m), torch::kLong));
    total += sizes[m];
  }
  RandomCloud cloud;
  cloud.positions = torch::randn({total, 3}, generator, torch::kDouble) * spread;
  cloud.molecule = torch::cat(ids);
  cloud.graph = radius_graph(cloud.positions, cloud.molecule, cutoff);
  return cloud;
}

}  // namespace e3::testing
