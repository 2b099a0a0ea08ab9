#pragma once
// The classifier of the tetris experiment (thesis Section 2.4.2, "Tetris Experiment",
// Figures 2.11 and 2.12): which of a fixed set of shapes a small point cloud is.
//
// Built from the layers of every e3nn network (Section 2.4.1): the input is one constant
// scalar per point; `layers` gated blocks (KernelConv -> Gate, GatedConv) map it to hidden
// features with `multiplicity` copies of every order 0..lmax (residual between equal
// representations); a last KernelConv without gate writes num_classes scalars per point,
// which, summed over the points of a cloud, are the cloud's scores. The scores are invariant
// to rotations, translations and permutations of the points ((2.55)-(2.57)); their softmax is
// the thesis' probability array t^.
//
// The filters go up to order lmax too. With lmax = 0 every feature and every filter is a
// scalar, so the network sees only the pairwise distances of a cloud: it cannot tell a
// chiral shape from its mirror image, whose distances are the same. Order one is not enough
// by itself either: telling mirror images apart takes a quantity that changes sign under a
// reflection, like a triple product r_1 . (r_2 x r_3). The representations carry no parity,
// so the path 1 x 1 -> 1 (a cross product) is allowed, but the features only reach such a
// product in a third KernelConv (vector, cross product, dot product): with one gated block
// (two KernelConvs) the network is still blind to handedness at any lmax.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include "e3/models/point_clouds.h"
#include "e3/nn/activation.h"
#include "e3/nn/gated_stack.h"
#include "e3/nn/radial_basis.h"

namespace e3::models {

struct TetrisClassifierOptions {
  TORCH_ARG(int, lmax) = 1;              ///< highest order of the hidden features and of the filters
  TORCH_ARG(int64_t, multiplicity) = 8;  ///< copies of each order 0..lmax in the hidden features
  /// Gated blocks before the last layer: at least 1, and at least 2 to see handedness.
  TORCH_ARG(int64_t, layers) = 3;
  TORCH_ARG(int64_t, num_classes) = 8;
  /// The radial basis; its cutoff() is the radius edges are built with and must cover the
  /// largest distance within a shape (3 for the tetris line).
  TORCH_ARG(nn::RadialBasisOptions, basis) = nn::RadialBasisOptions(nn::RadialBasisType::cosine, 10, 3.0);
  TORCH_ARG(int64_t, radial_hidden) = 32;  ///< radial MLP neurons
  TORCH_ARG(int64_t, radial_layers) = 2;   ///< radial MLP hidden layers
  /// The neighbour count of the kernel normalization (B.7) (KernelOptions::avg_num_neighbors).
  /// A point of a shape has 3 neighbours, but (B.7) assumes their messages independent, and
  /// here they are not: one constant input and few distinct distances make the messages, and
  /// the outputs of a shape's 4 points, nearly parallel, so they add up coherently. With 3 the
  /// initial scores have an RMS of about 45, the softmax of the squared-error loss starts
  /// saturated, where its gradient vanishes, and most seeds never learn; with 50 the RMS is
  /// about 0.5 and 20 of 20 seeds reach 100% at lmax 1 and 2 within 100 epochs (measured).
  TORCH_ARG(double, avg_num_neighbors) = 50.0;
  TORCH_ARG(nn::Activation, scalar_activation) = nn::Activation::silu;
  TORCH_ARG(nn::Activation, gate_activation) = nn::Activation::sigmoid;
};

class TetrisClassifierImpl : public torch::nn::Cloneable<TetrisClassifierImpl> {
 public:
  /// Throws std::invalid_argument for a negative lmax or non-positive multiplicity, layers
  /// or num_classes.
  explicit TetrisClassifierImpl(TetrisClassifierOptions options = {});

  /// Scores [num_clouds, num_classes] (before the softmax), in the dtype of the positions
  /// (the module must have been converted to it).
  torch::Tensor forward(const PointClouds& clouds);

  /// The radius within which points are connected: the radial basis' cutoff.
  double cutoff() const { return basis->cutoff(); }
  /// The hidden representation: multiplicity x l for l = 0..lmax.
  o3::Rs hidden_rs() const;
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  TetrisClassifierOptions options;
  nn::RadialBasis basis = nullptr;
  nn::GatedStack stack = nullptr;  ///< the gated blocks
  nn::KernelConv output = nullptr;  ///< the last layer (without gate)
};
TORCH_MODULE(TetrisClassifier);

}  // namespace e3::models
