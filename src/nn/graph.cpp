#include "e3/nn/graph.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

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

void Graph::check() const {
  const int64_t e = num_edges();
  if (!dst_offsets.defined() || dst_offsets.dim() != 1 || dst_offsets.size(0) != num_nodes + 1) {
    throw std::invalid_argument("graph: dst_offsets must have num_nodes + 1 entries");
  }
  if (edge_src.scalar_type() != torch::kLong || edge_dst.scalar_type() != torch::kLong ||
      dst_offsets.scalar_type() != torch::kLong) {
    throw std::invalid_argument("graph: indices must be int64");
  }
  if (dst_offsets[0].item<int64_t>() != 0 || dst_offsets[num_nodes].item<int64_t>() != e) {
    throw std::invalid_argument("graph: dst_offsets must start at 0 and end at the number of edges");
  }
  if (num_nodes > 0 && (dst_offsets.diff() < 0).any().item<bool>()) {
    throw std::invalid_argument("graph: dst_offsets must be non-decreasing");
  }
  if (e > 0) {
    if (edge_src.min().item<int64_t>() < 0 || edge_src.max().item<int64_t>() >= num_nodes) {
      throw std::invalid_argument("graph: edge_src out of range");
    }
    const auto expected_dst = torch::repeat_interleave(torch::arange(num_nodes, torch::kLong), dst_offsets.diff());
    if (!torch::equal(expected_dst, edge_dst)) {
      throw std::invalid_argument("graph: edge_dst does not match dst_offsets (edges must be sorted by dst)");
    }
  }
}

}  // namespace e3::nn
