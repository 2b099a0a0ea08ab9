#include "e3/train/tetris_experiment.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace e3::train {

TetrisLoss tetris_loss_from_string(const std::string& name) {
  if (name == "mse") return TetrisLoss::mse;
  if (name == "cross_entropy") return TetrisLoss::cross_entropy;
  throw std::invalid_argument("unknown loss '" + name + "' (valid: mse, cross_entropy)");
}

std::string to_string(TetrisLoss loss) {
  switch (loss) {
    case TetrisLoss::mse: return "mse";
    case TetrisLoss::cross_entropy: return "cross_entropy";
  }
  throw std::logic_error("unhandled tetris loss");
}

torch::Tensor tetris_loss(TetrisLoss loss, const torch::Tensor& scores, const torch::Tensor& labels) {
  switch (loss) {
    case TetrisLoss::mse: {
      // The thesis' ||t^ - t||^2 with t^ = softmax(scores): every t^_i > 0 and sum_i t^_i = 1.
      const auto target = torch::one_hot(labels, scores.size(1)).to(scores.scalar_type());
      return (torch::softmax(scores, 1) - target).pow(2).sum(1).mean();
    }
    case TetrisLoss::cross_entropy: return torch::nn::functional::cross_entropy(scores, labels);
  }
  throw std::logic_error("unhandled tetris loss");
}

TetrisAccuracy tetris_accuracy(models::TetrisClassifier& model, const TetrisSet& set) {
  torch::NoGradGuard no_grad;
  const auto correct = (model->forward(set.inputs).argmax(1) == set.labels).to(torch::kDouble);
  const int64_t num_classes = model->options.num_classes();
  const auto hits = torch::zeros({num_classes}, torch::kDouble).index_add(0, set.labels, correct);
  const auto counts = torch::bincount(set.labels, /*weights=*/{}, num_classes).to(torch::kDouble);
  TetrisAccuracy accuracy;
  accuracy.total = correct.mean().item<double>();
  // A class absent from the set has no accuracy to report: 0 / 0 -> NaN.
  const auto per_class = (hits / counts).contiguous();
  accuracy.per_class.assign(per_class.data_ptr<double>(), per_class.data_ptr<double>() + num_classes);
  return accuracy;
}

TetrisExperiment run_tetris_experiment(const TetrisExperimentOptions& options) {
  if (options.epochs() < 1) throw std::invalid_argument("tetris: epochs must be at least 1");
  if (options.test_rotations() < 1) throw std::invalid_argument("tetris: test_rotations must be at least 1");
  if (!(options.learning_rate() > 0.0)) throw std::invalid_argument("tetris: the learning rate must be positive");
  if (options.dtype() != torch::kFloat && options.dtype() != torch::kDouble) {
    throw std::invalid_argument("tetris: the dtype must be float32 or float64");
  }
  const auto num_shapes = static_cast<int64_t>(tetris_shapes().size());
  if (options.model().num_classes() != num_shapes) {
    throw std::invalid_argument("tetris: the classifier must have " + std::to_string(num_shapes) + " classes");
  }
  TetrisExperiment experiment;
  torch::manual_seed(options.seed());
  experiment.model = models::TetrisClassifier(options.model());
  experiment.model->to(options.dtype());
  const double cutoff = experiment.model->cutoff();
  const auto training = tetris_training_set(cutoff, options.dtype());

  torch::optim::Adam optimizer(experiment.model->parameters(), torch::optim::AdamOptions(options.learning_rate()));
  for (int64_t epoch = 0; epoch < options.epochs(); ++epoch) {
    optimizer.zero_grad();
    const auto loss = tetris_loss(options.loss(), experiment.model->forward(training.inputs), training.labels);
    const double value = loss.item<double>();
    if (!std::isfinite(value)) {
      throw std::runtime_error("tetris: the loss is " + std::to_string(value) + " at epoch " + std::to_string(epoch + 1) +
                               "; lower the learning rate");
    }
    loss.backward();
    optimizer.step();
    experiment.losses.push_back(value);
  }
  // Evaluated in float64 whatever the training dtype: a scalar-only network gives the two
  // chiral pieces scores that differ only by rounding, and in float32 the argmax between them
  // would be decided by the rounding of each rotated copy rather than by the network.
  models::TetrisClassifier evaluated(
      std::dynamic_pointer_cast<models::TetrisClassifierImpl>(experiment.model->clone()));
  evaluated->to(torch::kDouble);
  experiment.train = tetris_accuracy(evaluated, tetris_training_set(cutoff, torch::kDouble));
  experiment.test = tetris_accuracy(evaluated, tetris_test_set(options.test_rotations(), options.seed() + 1, cutoff,
                                                               torch::kDouble, options.translation()));
  return experiment;
}

}  // namespace e3::train
