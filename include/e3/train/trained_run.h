#pragma once
// A finished (or stopped) run, opened for evaluation and prediction; or an ensemble of runs
// (train/ensemble.h), whose predictions are its members' mean with their standard deviation.

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
  /// Opens the run at `path` with the model of `checkpoint`, or every member of the ensemble
  /// at `path` so. std::runtime_error naming the path when it is not a run, or (best) has not
  /// validated yet: the message says how to get a validation. A `precision` (a value of the
  /// configuration's "precision" key) replaces the run's for the convolutions' GEMMs: the
  /// weights are the same whatever the precision they were trained in.
  static TrainedRun open(const std::string& path, RunCheckpoint checkpoint = RunCheckpoint::best,
                         const std::string& precision = "");

  /// The run's directory; an ensemble's first member's.
  const RunDirectory& directory() const { return directory_; }
  /// The run's configuration; an ensemble's first member's (the members differ in the seed only).
  const TrainConfig& config() const { return config_; }
  /// The targets, in the order of the model's outputs.
  const std::vector<data::Target>& targets() const { return targets_; }
  /// The model; an ensemble's first member's.
  models::MoleculeNet& model() { return models_.front(); }
  /// How many models predict: an ensemble's members, else 1.
  size_t members() const { return models_.size(); }
  /// What the training molecules span (domain.json); none for a run trained before e3cpp
  /// recorded it.
  const std::optional<TrainingDomain>& domain() const { return domain_; }

  /// The run's train/val/test split over `dataset`: a DataError names a molecule id of the
  /// split that `dataset` lacks, unless `absent` skips those (data::read_split).
  data::Split split(const data::Dataset& dataset, data::AbsentIds absent = data::AbsentIds::error) const;
  /// Predictions for molecules `indices` of `dataset` (train/prediction.h): [target][molecule]
  /// (an ensemble's: the members' mean).
  std::vector<std::vector<double>> predict(const data::Dataset& dataset, const std::vector<size_t>& indices);
  /// Whether the head of target `index` (in targets() order) has the dipole readout.
  bool has_dipole(size_t index);
  /// The same with the dipole readouts' vectors (train/prediction.h); an ensemble's are the
  /// members' mean values and vectors, with the members' standard deviation (spread).
  Predictions predict_with_dipoles(const data::Dataset& dataset, const std::vector<size_t>& indices);
  /// MAE and RMSE of each target on the molecules `indices` that have it.
  std::vector<ErrorMetrics> evaluate(const data::Dataset& dataset, const std::vector<size_t>& indices);

 private:
  TrainedRun(RunDirectory directory, TrainConfig config, std::vector<models::MoleculeNet> models);
  RunDirectory directory_;
  TrainConfig config_;
  std::vector<data::Target> targets_;
  std::vector<models::MoleculeNet> models_;  // one, or an ensemble's members
  std::optional<TrainingDomain> domain_;
};

}  // namespace e3::train
