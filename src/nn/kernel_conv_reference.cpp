#include "e3/nn/kernel_conv_reference.h"

#include <torch/torch.h>

namespace e3::nn {

torch::Tensor kernel_conv_reference(const KernelPlan& plan, const torch::Tensor& features,
                                    const torch::Tensor& harmonics, const torch::Tensor& radial_hidden,
                                    const torch::Tensor& radial_weight, const Graph& graph) {
  const int64_t num_edges = graph.num_edges();
  const auto options = features.options();
  // (2.35): every radial weight of every edge.
  const auto radial = torch::matmul(radial_hidden, radial_weight);  // [E, num_weights]

  // (2.42): the kernel of every edge, [E, dim_out, dim_in].
  auto kernel = torch::zeros({num_edges, plan.rs_out().dim(), plan.rs_in().dim()}, options);
  for (const auto& group : plan.groups()) {
    const int64_t d_out = 2 * group.l_out + 1;
    for (const auto& path : group.paths) {
      const int64_t d_in = 2 * path.l_in + 1, d_f = 2 * path.l_filter + 1;
      const auto cg = torch::tensor(path.cg, torch::kDouble).to(options).reshape({d_in, d_f, d_out});
      const auto y = harmonics.narrow(1, path.l_filter * path.l_filter, d_f);  // [E, d_f]
      // R^p as [E, V, U]: rows column + v of the group's [P, U] block.
      const auto r = radial.narrow(1, group.weight_offset + path.column * group.mul_out, path.mul_in * group.mul_out)
                         .reshape({num_edges, path.mul_in, group.mul_out});
      const auto cy = torch::einsum("jki,ek->eij", {cg, y});  // [E, d_out, d_in]
      const auto block = torch::einsum("evu,eij->euivj", {r, cy}) * path.norm;  // [E, U, d_out, V, d_in]
      for (const auto& slice : group.slices) {
        kernel.narrow(1, slice.out_offset, slice.mul * d_out)
            .narrow(2, path.in_offset, path.mul_in * d_in)
            .add_(block.narrow(1, slice.first_channel, slice.mul)
                      .reshape({num_edges, slice.mul * d_out, path.mul_in * d_in}));
      }
    }
  }

  // (2.45): G_A = sum over edges B -> A of K_AB F_B.
  const auto messages = torch::bmm(kernel, features.index_select(0, graph.edge_src).unsqueeze(-1)).squeeze(-1);
  return torch::zeros({graph.num_nodes, plan.rs_out().dim()}, options).index_add(0, graph.edge_dst, messages);
}

}  // namespace e3::nn
