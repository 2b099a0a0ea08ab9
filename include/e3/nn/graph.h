#pragma once
// Directed edges of a batch of point clouds, in the order the fused KernelConv needs.

#include <torch/types.h>

namespace e3::nn {

/// Edges B -> A ("src" B is the convolved atom, "dst" A receives the message), sorted by
/// dst so that the edges into atom A are the contiguous range
/// [dst_offsets[A], dst_offsets[A + 1]) (a CSR layout).
struct Graph {
  torch::Tensor edge_src;     ///< [E] int64
  torch::Tensor edge_dst;     ///< [E] int64, non-decreasing
  torch::Tensor dst_offsets;  ///< [N + 1] int64
  int64_t num_nodes = 0;

  int64_t num_edges() const { return edge_src.defined() ? edge_src.size(0) : 0; }

  /// Builds the graph from edges in any order: sorts them by dst (stably) and computes the
  /// offsets. When `order` is given it receives the permutation applied (new edge e is old
  /// edge order[e]), for reordering per-edge data. Throws std::invalid_argument when an
  /// index is outside [0, num_nodes) or the shapes disagree.
  static Graph from_edges(const torch::Tensor& edge_src, const torch::Tensor& edge_dst, int64_t num_nodes,
                          torch::Tensor* order = nullptr);

  /// Throws std::invalid_argument (one line, "graph: ...") unless the invariants above hold:
  /// int64 indices, edge_src in [0, num_nodes), dst_offsets from 0 to E and non-decreasing,
  /// edge_dst the atoms the offsets give. Cheap: O(E + N); kernel_conv() calls it.
  void check() const;
};

/// The graph of every ordered pair of distinct points of the same cloud (`cloud_index` [N],
/// int64) that are strictly closer than `cutoff`; `positions` [N, 3]. Distances are compared
/// in float64, so the edges do not depend on the positions' dtype. The clouds' points need
/// not be contiguous. std::invalid_argument for mismatched shapes or a cutoff that is not positive.
Graph radius_graph(const torch::Tensor& positions, const torch::Tensor& cloud_index, double cutoff);

}  // namespace e3::nn
