#include "random_graph.h"

namespace e3::testing {

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
  cloud.graph = nn::radius_graph(cloud.positions, cloud.molecule, cutoff);
  return cloud;
}

}  // namespace e3::testing
