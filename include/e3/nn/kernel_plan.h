#pragma once
// The paths of a kernel (2.42)/(2.49) between two representations, the layout of its
// radial weights, and the normalization constants of Appendix B.
//
// A path p = (input entry, l_f, output order) exists when |l_in - l_f| <= l_out <= l_in + l_f,
// l_f <= lf_max and, when the representations carry parity, p_out = p_in (-1)^l_f.
// Output entries of the same (l_out, parity) are reached by the same paths, so they form one
// group: its U = sum of their multiplicities output channels share the group's P = sum over
// its paths of the input multiplicity V_p "columns" (and the fused op computes the per-edge
// and per-atom intermediates once per group). The radial weights R^p_uv of an edge are
// stored group after group, each group as a [P, U] block (row = column of the path + v,
// column = channel u of the group), so one edge needs num_weights() = sum P U radial outputs.
//
// Normalization (B.7), under this library's conventions: with inputs F and radial weights
// R of unit second moment, the harmonics integral-normalized (E[Y_k^2] = 1/(4 pi) over
// directions) and Clebsch-Gordan columns orthonormal (sum_{j,k} C_jki^2 = 1), one path adds
// V_p n_p^2 / (4 pi) to the second moment of each output component and one neighbour.
// Choosing n_p^2 = 4 pi / (P * avg_num_neighbors) makes the output unit second moment.
// This is (B.7) with the denominator (sum_v 1)(sum_lf 1)(sum_lin 1) generalized to P,
// without its (2 l_out + 1) (which comes from e3nn's Frobenius-normalized C), and with the
// neighbour count that the sum over B in (2.49) adds. With component-normalized harmonics
// (E[Y_k^2] = 1) the 4 pi is dropped.

#include <torch/custom_class.h>

#include <vector>

#include "e3/o3/rs.h"
#include "e3/o3/spherical_harmonics.h"

namespace e3::nn {

/// One path of the kernel.
struct KernelPath {
  int in_entry = 0;         ///< index into rs_in
  int l_in = 0, l_filter = 0, l_out = 0;
  int64_t mul_in = 0;       ///< V
  int64_t in_offset = 0;    ///< start of the input entry in the flat input feature
  int64_t column = 0;       ///< start of this path's V columns within its output group
  double norm = 0.0;        ///< n^p
  std::vector<double> cg;   ///< C[j][k][i], [(2 l_in + 1), (2 l_f + 1), (2 l_out + 1)], row major
};

/// One output entry within its group: channels [first_channel, first_channel + mul) of the group.
struct KernelOutputSlice {
  int out_entry = 0;        ///< index into rs_out
  int64_t out_offset = 0;   ///< start of the entry in the flat output feature
  int64_t mul = 0;
  int64_t first_channel = 0;
};

/// The paths that write the output entries of one (l_out, parity).
struct KernelOutputGroup {
  int l_out = 0;
  int parity = 0;
  int64_t mul_out = 0;        ///< U: channels of all slices
  int64_t columns = 0;        ///< P
  int64_t weight_offset = 0;  ///< start of the [P, U] block among the radial weights of an edge
  std::vector<KernelOutputSlice> slices;
  std::vector<KernelPath> paths;
};

/// All paths between rs_in and rs_out, grouped by output entry. Immutable; shared by the
/// fused op (held in its autograd context) and the reference implementation.
class KernelPlan : public torch::CustomClassHolder {
 public:
  /// Throws std::invalid_argument when an output entry cannot be reached by any path, or
  /// when only one of the representations carries parity.
  KernelPlan(o3::Rs rs_in, o3::Rs rs_out, int lf_max,
             o3::ShNormalization harmonics_normalization = o3::ShNormalization::integral,
             double avg_num_neighbors = 1.0);

  const o3::Rs& rs_in() const { return rs_in_; }
  const o3::Rs& rs_out() const { return rs_out_; }
  int lf_max() const { return lf_max_; }
  const std::vector<KernelOutputGroup>& groups() const { return groups_; }
  /// Radial weights per edge: sum over groups of P * U.
  int64_t num_weights() const { return num_weights_; }
  /// Width of the harmonics input: Y^0..Y^lf_max concatenated, (lf_max + 1)^2.
  int64_t harmonics_dim() const { return (lf_max_ + 1) * (lf_max_ + 1); }
  int64_t num_paths() const;

 private:
  // The paths into outputs of order l_out and the given parity (0 when Rs carry none).
  KernelOutputGroup make_group(int l_out, int parity) const;

  o3::Rs rs_in_, rs_out_;
  int lf_max_;
  std::vector<KernelOutputGroup> groups_;
  int64_t num_weights_ = 0;
};

}  // namespace e3::nn
