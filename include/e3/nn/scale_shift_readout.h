#pragma once
// The output layer of (2.58)-(2.60): per-atom network outputs R_a are scaled and shifted by
// training statistics, aggregated per point cloud, and offset by per-type references.
//
//   sum readout (extensive targets, (2.60)):  t^_m = p_m + sum_a (mean + std R_a)
//   mean readout (intensive targets):         t^_m = p_m + (1 / A_m) sum_a (mean + std R_a)
//
// with p_m = sum_a ref(type_a) (2.58). For the sum readout, mean and std are those of
// (t_m - p_m) / A_m over the training set (2.59); for the mean readout, those of t_m - p_m.
// The references, mean and std are buffers: they travel with the module's state.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <string>

namespace e3::nn {

enum class Readout { sum, mean };

/// Parses "sum" or "mean".
Readout readout_from_string(const std::string& name);
std::string to_string(Readout readout);

struct ScaleShiftReadoutOptions {
  explicit ScaleShiftReadoutOptions(int64_t num_types) : num_types_(num_types) {}
  TORCH_ARG(int64_t, num_types);
  TORCH_ARG(Readout, readout) = Readout::sum;
};

class ScaleShiftReadoutImpl : public torch::nn::Cloneable<ScaleShiftReadoutImpl> {
 public:
  explicit ScaleShiftReadoutImpl(ScaleShiftReadoutOptions options);

  /// atom_values R_a [N], types [N] (int64 in [0, num_types)), cloud index of each atom [N]
  /// (int64 in [0, num_clouds)) -> [num_clouds], float64 (references of ~1e4 eV need it).
  torch::Tensor forward(const torch::Tensor& atom_values, const torch::Tensor& types,
                        const torch::Tensor& cloud_index, int64_t num_clouds);

  /// Sets mean and std (std > 0).
  void set_statistics(double mean, double std);
  /// Sets ref(type) for every type ([num_types]).
  void set_references(const torch::Tensor& references);

  double mean() const { return mean_.item<double>(); }
  double std() const { return std_.item<double>(); }
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
  torch::Tensor references_, mean_, std_;
};
TORCH_MODULE(ScaleShiftReadout);

}  // namespace e3::nn
