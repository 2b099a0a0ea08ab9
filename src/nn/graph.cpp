#include "e3/nn/graph.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace e3::nn {

Graph Graph::from_edges(const torch::Tensor& edge_src, const torch::Tensor& edge_dst, int64_t num_nodes,
                        torch::Tensor* order) {
  if (edge_src.dim() != 1 || edge_dst.dim() != 1 || edge_src.size(0) != edge_dst.size(0)) {
    throw std::invalid_argument("graph: edge_src and edge_dst must be 1-d of equal length");
  }
  if (num_nodes < 0) throw std::invalid_argument("graph: num_nodes must not be negative");
  const auto src = edge_src.to(torch::kLong).contiguous();
  const auto dst = edge_dst.to(torch::kLong).contiguous();
  if (src.numel() > 0) {
    const int64_t low = std::min(src.min().item<int64_t>(), dst.min().item<int64_t>());
    const int64_t high = std::max(src.max().item<int64_t>(), dst.max().item<int64_t>());
    if (low < 0 || high >= num_nodes) {
      throw std::invalid_argument("graph: edge index out of range [0, " + std::to_string(num_nodes) + ")");
    }
  }
  const auto permutation = std::get<1>(dst.sort(/*stable=*/c10::optional<bool>(true), /*dim=*/0));
  Graph graph;
  graph.edge_src = src.index_select(0, permutation);
  graph.edge_dst = dst.index_select(0, permutation);
  graph.num_nodes = num_nodes;
  const auto counts = torch::bincount(graph.edge_dst, /*weights=*/{}, num_nodes);
  graph.dst_offsets = torch::cat({torch::zeros({1}, torch::kLong), counts.cumsum(0)});
  if (order) *order = permutation;
  return graph;
}

// The data layer's pair search on molecules (e3/data/geometry.h, used by batches) is the same
// loop; it cannot be shared because nn must not depend on data nor data on nn. Both compare
// squared float64 distances strictly below the squared cutoff, so they find the same edges.
Graph radius_graph(const torch::Tensor& positions, const torch::Tensor& cloud_index, double cutoff) {
  if (positions.dim() != 2 || positions.size(1) != 3 || cloud_index.dim() != 1 ||
      cloud_index.size(0) != positions.size(0)) {
    throw std::invalid_argument("radius_graph: positions must be [N, 3] and cloud_index [N]");
  }
  if (!(cutoff > 0.0)) throw std::invalid_argument("radius_graph: the cutoff must be positive");
  const int64_t n = positions.size(0);
  const auto points = positions.detach().to(torch::kCPU, torch::kDouble).contiguous();
  const auto clouds = cloud_index.to(torch::kCPU, torch::kLong).contiguous();
  const auto p = points.accessor<double, 2>();
  // The points of each cloud, in order: pairs are only looked for within a cloud.
  const auto order = std::get<1>(clouds.sort(/*stable=*/c10::optional<bool>(true), /*dim=*/0));
  const auto c = clouds.accessor<int64_t, 1>();
  const auto o = order.accessor<int64_t, 1>();
  std::vector<int64_t> src, dst;
  for (int64_t begin = 0; begin < n;) {
    int64_t end = begin;
    while (end < n && c[o[end]] == c[o[begin]]) ++end;
    for (int64_t i = begin; i < end; ++i) {
      for (int64_t j = begin; j < end; ++j) {
        const int64_t a = o[i], b = o[j];
        const double dx = p[b][0] - p[a][0], dy = p[b][1] - p[a][1], dz = p[b][2] - p[a][2];
        if (a != b && dx * dx + dy * dy + dz * dz < cutoff * cutoff) {
          src.push_back(b);
          dst.push_back(a);
        }
      }
    }
    begin = end;
  }
  const auto options = torch::TensorOptions().dtype(torch::kLong).device(positions.device());
  return Graph::from_edges(torch::tensor(src, options), torch::tensor(dst, options), n);
}

void Graph::check() const {
  auto fail = [](const std::string& problem) { throw std::invalid_argument("graph: " + problem); };
  if (!edge_src.defined() || !edge_dst.defined() || edge_src.dim() != 1 || edge_dst.dim() != 1 ||
      edge_src.size(0) != edge_dst.size(0)) {
    fail("edge_src and edge_dst must be 1-d of equal length");
  }
  const int64_t e = num_edges();
  if (!dst_offsets.defined() || dst_offsets.dim() != 1 || dst_offsets.size(0) != num_nodes + 1) {
    fail("dst_offsets must have num_nodes + 1 = " + std::to_string(num_nodes + 1) + " entries");
  }
  if (edge_src.scalar_type() != torch::kLong || edge_dst.scalar_type() != torch::kLong ||
      dst_offsets.scalar_type() != torch::kLong) {
    fail("edge_src, edge_dst and dst_offsets must be int64");
  }
  if (dst_offsets[0].item<int64_t>() != 0 || dst_offsets[num_nodes].item<int64_t>() != e) {
    fail("dst_offsets must start at 0 and end at the number of edges (" + std::to_string(e) + ")");
  }
  if (num_nodes > 0 && (dst_offsets.diff() < 0).any().item<bool>()) fail("dst_offsets must be non-decreasing");
  if (e > 0) {
    if (edge_src.min().item<int64_t>() < 0 || edge_src.max().item<int64_t>() >= num_nodes) {
      fail("edge_src out of range [0, " + std::to_string(num_nodes) + ")");
    }
    const auto counts = dst_offsets.diff();
    if (!torch::equal(torch::repeat_interleave(torch::arange(num_nodes, counts.options()), counts), edge_dst)) {
      fail("edge_dst does not match dst_offsets (edges must be sorted by dst)");
    }
  }
}

}  // namespace e3::nn
