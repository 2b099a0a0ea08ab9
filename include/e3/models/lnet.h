#pragma once
// L·Net (thesis Section 3.1, Figure 3.1, Table 3.1): the network that learns one QM9 target.
//
//   one-hot atom type -> learned embedding (a scalar feature of embedding_size)
//   -> `layers` KernelConv layers; the first layers - 1 are followed by gated blocks and
//      carry `representation`; residual connections join layers of equal representation;
//      the last has no nonlinearity and writes one scalar R_a per atom
//   -> the output layer of (2.58)-(2.60): p_m + sum_a (mean + std R_a) per molecule
//      (or the mean over atoms, for intensive targets; see nn/scale_shift_readout.h).
//
// L0Net, L1Net and L2Net differ in the representation only: 128x0, 64x0+21x1 and
// 42x0+14x1+8x2. The prediction is invariant to rotations, translations and permutations
// of the atoms, because every feature it reads is (Section 2.4.1, "Equivariance").

#include <torch/nn/cloneable.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "e3/models/point_clouds.h"
#include "e3/nn/edge_inputs.h"
#include "e3/nn/gated_conv.h"
#include "e3/nn/radial_basis.h"
#include "e3/nn/scale_shift_readout.h"
#include "e3/o3/rs.h"

namespace e3::models {

struct LNetOptions {
  /// The hidden features of every layer (L1Net: 64x0+21x1).
  TORCH_ARG(o3::Rs, representation) = o3::Rs::parse("64x0+21x1");
  /// The atomic numbers the model embeds, in the order of its one-hot types.
  TORCH_ARG(std::vector<int64_t>, elements) = std::vector<int64_t>({1, 6, 7, 8, 9});
  TORCH_ARG(int64_t, embedding_size) = 128;
  /// KernelConv layers (Table 3.1: 5, with 4 gated blocks).
  TORCH_ARG(int64_t, layers) = 5;
  TORCH_ARG(nn::RadialBasisOptions, radial_basis) = nn::RadialBasisOptions(nn::RadialBasisType::cosine, 50, 10.0);
  /// Filter orders, radial MLP and normalization of every KernelConv (num_bases must match
  /// the radial basis).
  TORCH_ARG(nn::KernelOptions, kernel) = nn::KernelOptions().num_bases(50);
  TORCH_ARG(nn::Activation, scalar_activation) = nn::Activation::silu;
  TORCH_ARG(nn::Activation, gate_activation) = nn::Activation::sigmoid;
  TORCH_ARG(bool, residual) = true;
  TORCH_ARG(nn::Readout, readout) = nn::Readout::sum;
};

class LNetImpl : public torch::nn::Cloneable<LNetImpl> {
 public:
  /// std::invalid_argument for inconsistent options (no elements, a repeated element, a
  /// basis size that differs from kernel().num_bases(), representations without a path).
  explicit LNetImpl(LNetOptions options = {});

  /// Predictions [num_clouds], float64 (energies of ~1e4 eV need it), for molecules given as
  /// point clouds (edges within cutoff()) with the atomic number of every atom [N].
  torch::Tensor forward(const PointClouds& molecules, const torch::Tensor& atomic_numbers);

  /// Data-dependent initialization (nn::calibrate_stack): rescales each KernelConv so that its
  /// outputs have unit second moment on `molecules`. Call once, on representative training
  /// molecules, before training.
  void calibrate(const PointClouds& molecules, const torch::Tensor& atomic_numbers);

  /// The one-hot type of each atom [N]; std::invalid_argument naming the first atomic number
  /// that is not one of options.elements().
  torch::Tensor types(const torch::Tensor& atomic_numbers) const;
  /// The radius within which atoms interact: the radial basis' cutoff.
  double cutoff() const { return basis->cutoff(); }

  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  LNetOptions options;
  torch::nn::Embedding embedding = nullptr;
  nn::RadialBasis basis = nullptr;
  std::vector<nn::GatedConv> layers;
  nn::ScaleShiftReadout readout = nullptr;

 private:
  nn::EdgeInputs edge_inputs(const PointClouds& molecules);
  // [119] int64: the type of each atomic number, -1 for none (derived from options, not state).
  torch::Tensor type_of_element_;
};
TORCH_MODULE(LNet);

}  // namespace e3::models
