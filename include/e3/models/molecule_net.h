#pragma once
// The networks that learn molecular properties: an embedding, a shared featurization stack,
// and one output block (TargetHead) per target.
//
//   one-hot atom type -> learned embedding (a scalar feature of embedding_size)
//   -> the featurization: `layers` KernelConv + gated blocks of `representation`, with
//      residual connections (nn::GatedStack)
//   -> for each target, its TargetHead: [own gated layers] -> last KernelConv to scalars ->
//      [MLP] -> R_a -> the output layer of (2.58)-(2.60) -> one value per molecule.
//
// L·Net (Section 3.1, Figure 3.1, Table 3.1) is this with heads that are a last convolution
// only: 5 convolutional layers are 4 featurization layers and the head's convolution
// (lnet_options()). The multi-target network of Section 3.2 (Figure 3.6, Table 3.4: ARandNet,
// BRandNet) gives each head its own gated layers and an MLP. The prediction is invariant to
// rotations, translations and permutations of the atoms, because every feature it reads is
// (Section 2.4.1, "Equivariance").

#include <torch/nn/cloneable.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "e3/models/point_clouds.h"
#include "e3/models/target_head.h"
#include "e3/nn/edge_inputs.h"
#include "e3/nn/radial_basis.h"

namespace e3::models {

struct MoleculeNetOptions {
  /// The atomic numbers the model embeds, in the order of its one-hot types.
  TORCH_ARG(std::vector<int64_t>, elements) = std::vector<int64_t>({1, 6, 7, 8, 9});
  TORCH_ARG(int64_t, embedding_size) = 128;
  /// The features of the featurization layers (L1Net: 64x0+21x1).
  TORCH_ARG(o3::Rs, representation) = o3::Rs::parse("64x0+21x1");
  /// Featurization KernelConv + gated blocks (L·Net: its layers but the last).
  TORCH_ARG(int64_t, layers) = 4;
  TORCH_ARG(nn::RadialBasisOptions, radial_basis) = nn::RadialBasisOptions(nn::RadialBasisType::cosine, 50, 10.0);
  /// Filter orders, radial MLP and normalization of every KernelConv (num_bases must match
  /// the radial basis).
  TORCH_ARG(nn::KernelOptions, kernel) = nn::KernelOptions().num_bases(50);
  TORCH_ARG(nn::Activation, scalar_activation) = nn::Activation::silu;
  TORCH_ARG(nn::Activation, gate_activation) = nn::Activation::sigmoid;
  TORCH_ARG(bool, residual) = true;
  /// One output block per target, in the order of the model's outputs (at least one).
  TORCH_ARG(std::vector<HeadOptions>, heads) = std::vector<HeadOptions>(1);
};

/// L·Net's options: `layers` convolutional layers (the last one the heads'), one head per
/// target, each a last convolution with `readouts[i]`.
MoleculeNetOptions lnet_options(const o3::Rs& representation, int64_t layers, const std::vector<nn::Readout>& readouts);

/// A network's predictions with what a dipole readout shows beside them.
struct MoleculePredictions {
  /// [num_clouds, num_heads], float64: what forward() returns.
  torch::Tensor values;
  /// Per head: the dipole vectors [num_clouds, 3] (x, y, z, Debye, in the input's frame) of a
  /// dipole readout, whose norms are that head's values; undefined for the other readouts.
  std::vector<torch::Tensor> dipoles;
};

class MoleculeNetImpl : public torch::nn::Cloneable<MoleculeNetImpl> {
 public:
  /// std::invalid_argument for inconsistent options (no elements, a repeated element, a
  /// basis size that differs from kernel().num_bases(), no heads, representations without a
  /// path).
  explicit MoleculeNetImpl(MoleculeNetOptions options = {});

  /// Predictions [num_clouds, num_heads()], float64 (energies of ~1e4 eV need it), for
  /// molecules given as point clouds (edges within cutoff()) with the atomic number of every
  /// atom [N]. std::invalid_argument naming an atomic number the model does not embed.
  torch::Tensor forward(const PointClouds& molecules, const torch::Tensor& atomic_numbers);
  /// forward()'s values with the dipole readouts' vectors.
  MoleculePredictions predict(const PointClouds& molecules, const torch::Tensor& atomic_numbers);

  /// Data-dependent initialization (nn::GatedStackImpl::calibrate, TargetHeadImpl::calibrate):
  /// rescales each KernelConv (and output MLP) so that its outputs have unit second moment on
  /// `molecules`. Call once, on representative training molecules, before training.
  void calibrate(const PointClouds& molecules, const torch::Tensor& atomic_numbers);

  /// Whether the model has an embedding for atomic number `z`: the one check of elements,
  /// which forward() and the callers that name a molecule's file and line both use.
  bool embeds(int64_t z) const;
  /// The radius within which atoms interact: the radial basis' cutoff.
  double cutoff() const { return basis->cutoff(); }
  int64_t num_heads() const { return static_cast<int64_t>(heads.size()); }
  TargetHead& head(int64_t index) { return heads.at(static_cast<size_t>(index)); }

  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  MoleculeNetOptions options;
  torch::nn::Embedding embedding = nullptr;
  nn::RadialBasis basis = nullptr;
  nn::GatedStack featurization = nullptr;
  std::vector<TargetHead> heads;

 private:
  torch::Tensor types(const torch::Tensor& atomic_numbers) const;
  nn::EdgeInputs edge_inputs(const PointClouds& molecules);
  // The type of each atomic number 0..kMaxAtomicNumber, -1 for none (derived from the options).
  std::vector<int64_t> type_of_element_;
  torch::Tensor type_table_;  // the same as an int64 tensor, for index_select
};
TORCH_MODULE(MoleculeNet);

}  // namespace e3::models
