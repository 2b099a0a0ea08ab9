#pragma once
// The tetris experiment (thesis Section 2.4.2, Figure 2.12): train a TetrisClassifier on the
// eight shapes in one orientation, test it on randomly rotated and translated copies.
//
// The thesis' network outputs a probability array t^ (the softmax of the scores) and learns
// by minimizing ||t^ - t||^2 against the one-hot target t; cross-entropy on the scores is an
// option. The prediction is the argmax. Networks with features of order >= 1 reach 100% on
// the rotated test set; a scalar-only network (lmax = 0) cannot tell the chiral pieces apart
// and stays at 7/8 at most, however long it trains.

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "e3/models/tetris_classifier.h"
#include "e3/train/tetris_shapes.h"

namespace e3::train {

enum class TetrisLoss {
  mse,            ///< ||softmax(scores) - one_hot||^2, the thesis'
  cross_entropy,  ///< -log softmax(scores)[label]
};

/// Parses "mse", "cross_entropy"; throws std::invalid_argument naming the valid ones otherwise.
TetrisLoss tetris_loss_from_string(const std::string& name);
std::string to_string(TetrisLoss loss);

/// The loss of scores [S, C] against labels [S], averaged over the S shapes.
torch::Tensor tetris_loss(TetrisLoss loss, const torch::Tensor& scores, const torch::Tensor& labels);

struct TetrisExperimentOptions {
  TORCH_ARG(models::TetrisClassifierOptions, model);
  /// Adam steps; each is one step on the whole training set (the eight shapes).
  TORCH_ARG(int64_t, epochs) = 100;
  TORCH_ARG(double, learning_rate) = 1e-2;
  TORCH_ARG(TetrisLoss, loss) = TetrisLoss::mse;
  TORCH_ARG(int64_t, test_rotations) = 100;  ///< randomly rotated copies of each shape in the test set
  TORCH_ARG(double, translation) = 5.0;      ///< scale of the test set's random translations
  /// Seeds the weights and, through seed + 1, the test set's rotations and translations.
  TORCH_ARG(uint64_t, seed) = 0;
  TORCH_ARG(torch::Dtype, dtype) = torch::kFloat;  ///< of the training; evaluation is in float64
};

/// How often a classifier names the right shape.
struct TetrisAccuracy {
  double total = 0.0;             ///< fraction of all shapes of the set classified correctly
  std::vector<double> per_class;  ///< fraction per class, in tetris_shapes() order; NaN for a class not in the set
};

/// The argmax prediction of `model` on every shape of `set`, compared with its label.
TetrisAccuracy tetris_accuracy(models::TetrisClassifier& model, const TetrisSet& set);

struct TetrisExperiment {
  models::TetrisClassifier model = nullptr;  ///< trained, in the experiment's dtype
  std::vector<double> losses;                ///< training loss before each Adam step
  TetrisAccuracy train, test;
};

/// Builds the classifier (weights from torch::manual_seed(seed)), trains it in `dtype` with
/// Adam on tetris_training_set(), and measures its accuracy, with a float64 copy of the trained
/// weights, on the training set and on tetris_test_set(test_rotations, seed + 1). Runs on the
/// CPU with LibTorch's current thread count. Throws std::invalid_argument for epochs or
/// test_rotations < 1, a non-positive learning rate, a dtype other than float32 / float64, or
/// a classifier whose num_classes is not the number of shapes.
TetrisExperiment run_tetris_experiment(const TetrisExperimentOptions& options);

}  // namespace e3::train
