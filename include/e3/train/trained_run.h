#pragma once
// A finished (or stopped) run, opened for evaluation and prediction.

#include <string>
#include <vector>

#include "e3/data/dataset.h"
#include "e3/data/split.h"
#include "e3/data/targets.h"
#include "e3/models/lnet.h"
#include "e3/train/config.h"
#include "e3/train/run_directory.h"

namespace e3::train {

class TrainedRun {
 public:
  /// Opens the run at `path` with the model of its best epoch. std::runtime_error naming the
  /// path when it is not a run, or has not finished an epoch yet.
  static TrainedRun open(const std::string& path);

  const RunDirectory& directory() const { return directory_; }
  const TrainConfig& config() const { return config_; }
  data::Target target() const { return target_; }
  models::LNet& model() { return model_; }

  /// The run's train/val/test split over `dataset` (a DataError names a molecule id of the
  /// split that `dataset` lacks).
  data::Split split(const data::Dataset& dataset) const;
  /// Predictions for molecules `indices` of `dataset` (train/prediction.h).
  std::vector<double> predict(const data::Dataset& dataset, const std::vector<size_t>& indices);

 private:
  TrainedRun(RunDirectory directory, TrainConfig config, data::Target target, models::LNet model);
  RunDirectory directory_;
  TrainConfig config_;
  data::Target target_;
  models::LNet model_;
};

}  // namespace e3::train
