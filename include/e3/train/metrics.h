#pragma once
// Error metrics and the per-epoch record of a training run (metrics.csv).

#include <cstdint>
#include <string>
#include <vector>

namespace e3::train {

/// Mean absolute and root-mean-square error over `count` molecules, in the target's unit.
struct ErrorMetrics {
  double mae = 0.0;
  double rmse = 0.0;
  int64_t count = 0;
};

/// MAE and RMSE of `predictions` against `targets` (same length, at least one).
ErrorMetrics error_metrics(const std::vector<double>& predictions, const std::vector<double>& targets);

/// One epoch of training.
struct EpochRecord {
  int64_t epoch = 0;                 ///< counted from 1
  double train_loss = 0.0;           ///< mean training loss over the epoch's batches
  double val_mae = 0.0;              ///< validation MAE, target unit
  double val_rmse = 0.0;             ///< validation RMSE, target unit
  double seconds = 0.0;              ///< training time of the epoch (without validation)
  double molecules_per_second = 0.0; ///< training throughput of the epoch
  double elapsed_seconds = 0.0;      ///< training time of the run up to the end of this epoch
};

/// metrics.csv: a header and one line per epoch.
std::string metrics_csv(const std::vector<EpochRecord>& history);

}  // namespace e3::train
