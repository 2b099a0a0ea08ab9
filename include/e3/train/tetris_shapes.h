#pragma once
// The data of the tetris experiment (thesis Section 2.4.2, Figure 2.11): the eight 3D
// tetris shapes of four unit cubes, as point clouds of the cube centers.
//
// The set is the Tensor Field Networks paper's (Thomas et al. 2018), with its two chiral
// pieces: chiral_shape_2 is chiral_shape_1 mirrored in the x-z plane (y -> -y), and no
// rotation turns one into the other. The training set holds each shape once in the fixed
// orientation below; the test set holds copies of each at uniformly random rotations and
// random translations.

#include <torch/types.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "e3/models/tetris_classifier.h"

namespace e3::train {

/// One shape: its name and the centers of its four unit cubes (fixed orientation).
struct TetrisShape {
  std::string name;
  std::array<std::array<double, 3>, 4> cubes;
};

/// The eight shapes in class order: chiral_shape_1, chiral_shape_2, square, line, corner,
/// L, T, zigzag (class k is tetris_shapes()[k]).
const std::vector<TetrisShape>& tetris_shapes();

/// The cube centers of shape `shape_class` in the fixed orientation: [4, 3].
torch::Tensor tetris_points(int64_t shape_class, torch::Dtype dtype = torch::kDouble);

/// Labelled shapes, batched for the classifier.
struct TetrisSet {
  models::PointClouds inputs;
  torch::Tensor labels;  ///< [num_clouds] int64, the class of each cloud

  int64_t size() const { return inputs.num_clouds; }
};

/// Each shape once, in the fixed orientation and class order; edges within `cutoff`.
TetrisSet tetris_training_set(double cutoff, torch::Dtype dtype = torch::kFloat);

/// `copies` (>= 1) copies of every shape, class after class, each rotated about the origin by
/// a rotation drawn from the Haar measure on SO(3) and moved by a translation with
/// coordinates ~ N(0, translation^2); all drawn from one generator seeded with `seed`, so the
/// set is the same on every run. Edges within `cutoff`. Throws std::invalid_argument for
/// copies < 1 or a negative translation.
TetrisSet tetris_test_set(int64_t copies, uint64_t seed, double cutoff, torch::Dtype dtype = torch::kFloat,
                          double translation = 5.0);

}  // namespace e3::train
