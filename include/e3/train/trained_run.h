#pragma once
// A finished (or stopped) run, opened for evaluation and prediction.

#include <optional>
#include <string>
#include <vector>

#include "e3/data/dataset.h"
#include "e3/data/split.h"
#include "e3/data/targets.h"
#include "e3/models/molecule_net.h"
#include "e3/train/config.h"
#include "e3/train/metrics.h"
#include "e3/train/prediction.h"
#include "e3/train/run_directory.h"
#include "e3/train/training_domain.h"

namespace e3::train {

/// Which state of a run to use: the best validation (best.pt) or the last one saved (last.pt).
/// Either way the model has the averaged weights when the run keeps a weight average.
enum class RunCheckpoint { best, last };

/// Parses "best" or "last".
RunCheckpoint run_checkpoint_from_string(const std::string& name);

class TrainedRun {
 public:
  /// Opens the run at `path` with the model of `checkpoint`. std::runtime_error naming the
  /// path when it is not a run, or (best) has not validated yet: the message says how to get
  /// a validation.
  static TrainedRun open(const std::string& path, RunCheckpoint checkpoint = RunCheckpoint::best);

  const RunDirectory& directory() const { return directory_; }
  const TrainConfig& config() const { return config_; }
  /// The targets, in the order of the model's outputs.
  const std::vector<data::Target>& targets() const { return targets_; }
  models::MoleculeNet& model() { return model_; }
  /// What the training molecules span (domain.json); none for a run trained before e3cpp
  /// recorded it.
  const std::optional<TrainingDomain>& domain() const { return domain_; }

  /// The run's train/val/test split over `dataset` (a DataError names a molecule id of the
  /// split that `dataset` lacks).
  data::Split split(const data::Dataset& dataset) const;
  /// Predictions for molecules `indices` of `dataset` (train/prediction.h): [target][molecule].
  std::vector<std::vector<double>> predict(const data::Dataset& dataset, const std::vector<size_t>& indices);
  /// Whether the head of target `index` (in targets() order) has the dipole readout.
  bool has_dipole(size_t index);
  /// The same with the dipole readouts' vectors (train/prediction.h).
  Predictions predict_with_dipoles(const data::Dataset& dataset, const std::vector<size_t>& indices);
  /// MAE and RMSE of each target on the molecules `indices` that have it.
  std::vector<ErrorMetrics> evaluate(const data::Dataset& dataset, const std::vector<size_t>& indices);

 private:
  TrainedRun(RunDirectory directory, TrainConfig config, models::MoleculeNet model);
  RunDirectory directory_;
  TrainConfig config_;
  std::vector<data::Target> targets_;
  models::MoleculeNet model_;
  std::optional<TrainingDomain> domain_;
};

}  // namespace e3::train
