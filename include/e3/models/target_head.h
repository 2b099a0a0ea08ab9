#pragma once
// One output block: what turns the atom features that every target shares into one target's
// prediction per molecule.
//
//   shared features -> [its own stack of KernelConv + gated blocks]      (Figure 3.6)
//   -> a last KernelConv to scalars, with no nonlinearity
//   -> [an MLP with ReLU on those scalars, whose linear last layer gives one value]  (Figure 3.6)
//   -> one value R_a per atom -> the output layer of (2.58)-(2.60) with this target's atom
//      references and training statistics: scaled, shifted, summed (or averaged) per molecule.
//
// With the dipole readout the last convolution also writes an l = 1 vector per atom (an atomic
// dipole beside the charge R_a), and the output layer builds the molecule's dipole from both
// and the positions (nn/moments.h); the spatial extent readout weighs squared distances by R_a.
//
// L·Net's output (Figure 3.1) is the case without the bracketed parts: its last convolution
// writes R_a directly. The MLP sees only scalars, so the prediction stays invariant (Section
// 3.2). Heads share nothing but their input: no gradient flows from one into another.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "e3/nn/gated_stack.h"
#include "e3/nn/mlp.h"
#include "e3/nn/scale_shift_readout.h"

namespace e3::models {

/// The architecture of one output block (Table 3.4's "Output ..." rows).
struct HeadOptions {
  /// The representation of its own gated layers ("Output Representation").
  TORCH_ARG(o3::Rs, representation) = o3::Rs::parse("5x0+28x1");
  /// Its own KernelConv + gated blocks ("Output Conv & GBs"); 0: none.
  TORCH_ARG(int64_t, layers) = 0;
  /// Hidden ReLU layers of the output MLP ("Output MLP Layers"); 0: no MLP, the last
  /// convolution writes R_a.
  TORCH_ARG(int64_t, mlp_layers) = 0;
  /// Neurons per MLP layer ("Output MLP Neurons"); also the number of scalars the last
  /// convolution writes for the MLP.
  TORCH_ARG(int64_t, mlp_neurons) = 0;
  TORCH_ARG(nn::Readout, readout) = nn::Readout::sum;
};

struct TargetHeadOptions {
  TargetHeadOptions(o3::Rs rs_in, int64_t num_types, HeadOptions head)
      : rs_in_(std::move(rs_in)), num_types_(num_types), head_(std::move(head)) {}
  /// The shared features it reads.
  TORCH_ARG(o3::Rs, rs_in);
  /// Atom types of the readout's references.
  TORCH_ARG(int64_t, num_types);
  TORCH_ARG(HeadOptions, head);
  TORCH_ARG(nn::KernelOptions, kernel);
  TORCH_ARG(nn::Activation, scalar_activation) = nn::Activation::silu;
  TORCH_ARG(nn::Activation, gate_activation) = nn::Activation::sigmoid;
  TORCH_ARG(bool, residual) = true;
  /// The weight of each type in the spatial extent's centre (nn::ScaleShiftReadoutOptions).
  TORCH_ARG(std::vector<double>, centre_weights);
};

class TargetHeadImpl : public torch::nn::Cloneable<TargetHeadImpl> {
 public:
  /// std::invalid_argument for negative layer counts, MLP layers without neurons, or
  /// representations that no path connects.
  explicit TargetHeadImpl(TargetHeadOptions options);

  /// R_a [N] for the shared features [N, dim(rs_in)], in their dtype; [N, 4] for the dipole
  /// readout (a charge, then an l = 1 vector).
  torch::Tensor atom_values(const torch::Tensor& features, const nn::EdgeInputs& edges);
  /// Predictions [num_clouds], float64: the output layer applied to atom_values(); `types`
  /// [N] are the atoms' types, `cloud_index` [N] their molecule, `positions` [N, 3] their
  /// positions (Angstrom; read by the dipole and spatial_extent readouts only).
  torch::Tensor forward(const torch::Tensor& features, const nn::EdgeInputs& edges, const torch::Tensor& types,
                        const torch::Tensor& cloud_index, int64_t num_clouds, const torch::Tensor& positions = {});
  /// The dipole readout's vectors [num_clouds, 3] (x, y, z, Debye), whose norms forward()
  /// predicts; std::logic_error for another readout.
  torch::Tensor dipole_vectors(const torch::Tensor& features, const nn::EdgeInputs& edges,
                               const torch::Tensor& cloud_index, int64_t num_clouds, const torch::Tensor& positions);

  /// Data-dependent initialization (nn::GatedStackImpl::calibrate): its stack, then its last
  /// convolution, then the MLP's output layer are rescaled so that each gives unit second
  /// moment on `features`. No gradients are recorded.
  void calibrate(const torch::Tensor& features, const nn::EdgeInputs& edges);

  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  TargetHeadOptions options;
  nn::GatedStack stack = nullptr;
  nn::KernelConv output = nullptr;  ///< the last convolution, to scalars
  nn::MLP mlp = nullptr;            ///< empty without MLP layers
  nn::ScaleShiftReadout readout = nullptr;

 private:
  // The last convolution's output -> what the readout reads: the MLP applied to its scalars
  // (when there is one), followed by the dipole readout's vector.
  torch::Tensor readout_inputs(const torch::Tensor& convolved);
  // The scalars of the last convolution's output (all of it but the dipole readout's vector).
  int64_t output_scalars(const torch::Tensor& convolved) const;
};
TORCH_MODULE(TargetHead);

}  // namespace e3::models
