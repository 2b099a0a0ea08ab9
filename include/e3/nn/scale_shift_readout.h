#pragma once
// The output layer: per-atom network outputs become one value per point cloud, scaled by
// training statistics. Four kinds (Readout):
//
//   sum (extensive targets, (2.60)):  t^_m = p_m + sum_a (mean + std R_a)
//   mean (intensive targets):         t^_m = p_m + (1 / A_m) sum_a (mean + std R_a)
//   dipole (mu):                      t^_m = |mu_m|, mu_m = k_D sum_a (q~_a (r_a - r_c) + p_a),
//                                     q_a = scale R_a (e), p_a = scale P_a (e Angstrom)
//   spatial_extent (<R^2>):           t^_m = sum_a w_a |r_a - r_c|^2 / a0^2, w_a = mean + scale R_a
//
// with p_m = sum_a ref(type_a) (2.58). For the sum readout, mean and std are those of
// (t_m - p_m) / A_m over the training set (2.59); for the mean readout, those of t_m - p_m.
// The physical kinds (nn/moments.h) read positions: the dipole kind reads 4 values per atom,
// a charge R_a and an l = 1 vector P_a (e3's order (y, z, x), Y^1's), and has no shift and no
// references; the spatial extent's weights w_a have the mean weight `mean` (electrons). Their
// `scale` (a third buffer, which the sum and mean kinds do not have) sets the size of the
// charges or weights that the unit outputs R_a stand for; their `std` is the per-atom std of
// (2.59), as for the sum readout, and serves as the loss' unit (train/loss.h) only.
// The references, mean, std and scale are buffers: they travel with the module's state.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

namespace e3::nn {

enum class Readout { sum, mean, dipole, spatial_extent };

/// Parses "sum", "mean", "dipole" or "spatial_extent".
Readout readout_from_string(const std::string& name);
std::string to_string(Readout readout);
/// Whether the kind reads positions (dipole, spatial_extent).
bool is_physical(Readout readout);
/// The values per atom the kind reads: 4 for the dipole (a charge and an l = 1 vector), else 1.
int64_t atom_value_width(Readout readout);

struct ScaleShiftReadoutOptions {
  explicit ScaleShiftReadoutOptions(int64_t num_types) : num_types_(num_types) {}
  TORCH_ARG(int64_t, num_types);
  TORCH_ARG(Readout, readout) = Readout::sum;
  /// spatial_extent: the weight of each type in the centre r_c (the atomic numbers: the centre
  /// of nuclear charge); empty: every atom weighs 1 (the centroid).
  TORCH_ARG(std::vector<double>, centre_weights);
};

class ScaleShiftReadoutImpl : public torch::nn::Cloneable<ScaleShiftReadoutImpl> {
 public:
  explicit ScaleShiftReadoutImpl(ScaleShiftReadoutOptions options);

  /// atom_values R_a [N] ([N, 4] for the dipole), types [N] (int64 in [0, num_types)), cloud
  /// index of each atom [N] (int64 in [0, num_clouds)), positions [N, 3] in Angstrom (read by
  /// the physical kinds only; may be undefined for the others) -> [num_clouds], float64
  /// (references of ~1e4 eV need it).
  torch::Tensor forward(const torch::Tensor& atom_values, const torch::Tensor& types,
                        const torch::Tensor& cloud_index, int64_t num_clouds, const torch::Tensor& positions = {});

  /// The dipole kind's vectors mu_m [num_clouds, 3] (x, y, z) in Debye, whose norms forward()
  /// returns; std::logic_error for another kind.
  torch::Tensor dipole_vectors(const torch::Tensor& atom_values, const torch::Tensor& cloud_index, int64_t num_clouds,
                               const torch::Tensor& positions);

  /// Sets mean and std (std > 0).
  void set_statistics(double mean, double std);
  /// Sets the physical kinds' scale (> 0); std::logic_error for sum and mean.
  void set_scale(double scale);
  /// Sets ref(type) for every type ([num_types]).
  void set_references(const torch::Tensor& references);

  double mean() const { return mean_.item<double>(); }
  double std() const { return std_.item<double>(); }
  /// The physical kinds' scale; 1 for sum and mean.
  double scale() const { return scale_.defined() ? scale_.item<double>() : 1.0; }
  const torch::Tensor& references() const { return references_; }

  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  /// The statistics and references stay float64 when the network changes dtype; only the
  /// device changes.
  void to(torch::Dtype dtype, bool non_blocking = false) override;
  void to(torch::Device device, torch::Dtype dtype, bool non_blocking = false) override;
  using torch::nn::Module::to;

  ScaleShiftReadoutOptions options;

 private:
  // The physical kinds' inputs in float64: charges [N] and atomic dipoles [N, 3] (x, y, z; undefined for
  // the spatial extent), in e and e Angstrom.
  std::pair<torch::Tensor, torch::Tensor> charges_and_dipoles(const torch::Tensor& atom_values) const;
  void check_positions(const torch::Tensor& atom_values, const torch::Tensor& positions) const;
  torch::Tensor references_, mean_, std_, scale_;
  torch::Tensor centre_weights_;  // float64 [num_types]: options().centre_weights(), or ones
};
TORCH_MODULE(ScaleShiftReadout);

}  // namespace e3::nn
