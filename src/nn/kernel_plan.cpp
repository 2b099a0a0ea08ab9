#include "e3/nn/kernel_plan.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <stdexcept>

#include "e3/o3/clebsch_gordan.h"

namespace e3::nn {

KernelPlan::KernelPlan(o3::Rs rs_in, o3::Rs rs_out, int lf_max, o3::ShNormalization harmonics_normalization,
                       double avg_num_neighbors)
    : rs_in_(std::move(rs_in)), rs_out_(std::move(rs_out)), lf_max_(lf_max) {
  if (lf_max < 0) throw std::invalid_argument("kernel: lf_max must not be negative");
  if (!(avg_num_neighbors > 0.0)) throw std::invalid_argument("kernel: avg_num_neighbors must be positive");
  if (rs_in_.has_parity() != rs_out_.has_parity()) {
    throw std::invalid_argument("kernel: either both or none of Rs_in (" + rs_in_.str() + ") and Rs_out (" +
                                rs_out_.str() + ") must carry parity");
  }
  const double harmonics_mean_square = harmonics_normalization == o3::ShNormalization::integral ? 1.0 / (4.0 * M_PI) : 1.0;
  const auto out_offsets = rs_out_.offsets();

  for (size_t o = 0; o < rs_out_.size(); ++o) {
    const o3::Irrep& out = rs_out_[o];
    if (out.mul == 0) continue;
    auto group = std::find_if(groups_.begin(), groups_.end(),
                              [&](const KernelOutputGroup& g) { return g.l_out == out.l && g.parity == out.parity; });
    if (group == groups_.end()) {
      groups_.push_back(make_group(out.l, out.parity));
      group = std::prev(groups_.end());
    }
    if (group->paths.empty()) {
      throw std::invalid_argument("kernel: no path reaches output entry " + std::to_string(out.mul) + "x" +
                                  std::to_string(out.l) + " of Rs_out " + rs_out_.str() + " from Rs_in " +
                                  rs_in_.str() + " with filters up to l = " + std::to_string(lf_max));
    }
    group->slices.push_back({static_cast<int>(o), out_offsets[o], out.mul, group->mul_out});
    group->mul_out += out.mul;
  }
  for (auto& group : groups_) {
    for (auto& path : group.paths) {
      path.norm = std::sqrt(1.0 / (harmonics_mean_square * double(group.columns) * avg_num_neighbors));
    }
    group.weight_offset = num_weights_;
    num_weights_ += group.columns * group.mul_out;
  }
}

KernelOutputGroup KernelPlan::make_group(int l_out, int parity) const {
  KernelOutputGroup group;
  group.l_out = l_out;
  group.parity = parity;
  const bool with_parity = rs_in_.has_parity();
  const auto in_offsets = rs_in_.offsets();
  for (size_t i = 0; i < rs_in_.size(); ++i) {
    const o3::Irrep& in = rs_in_[i];
    for (int l_f = 0; l_f <= lf_max_; ++l_f) {
      if (l_out < std::abs(in.l - l_f) || l_out > in.l + l_f) continue;
      if (with_parity && parity != in.parity * (l_f % 2 == 0 ? 1 : -1)) continue;
      if (in.mul == 0) continue;
      KernelPath path;
      path.in_entry = static_cast<int>(i);
      path.l_in = in.l;
      path.l_filter = l_f;
      path.l_out = l_out;
      path.mul_in = in.mul;
      path.in_offset = in_offsets[i];
      path.column = group.columns;
      const auto cg = o3::clebsch_gordan(in.l, l_f, l_out).contiguous();
      path.cg.assign(cg.data_ptr<double>(), cg.data_ptr<double>() + cg.numel());
      group.columns += in.mul;
      group.paths.push_back(std::move(path));
    }
  }
  return group;
}

int64_t KernelPlan::num_paths() const {
  int64_t count = 0;
  for (const auto& group : groups_) count += static_cast<int64_t>(group.paths.size());
  return count;
}

}  // namespace e3::nn
