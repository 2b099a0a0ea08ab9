#pragma once
// Error metrics and the record of each validation of a training run (metrics.csv).

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

/// What MAE and RMSE are computed from: sums that add up over parts of a set of molecules
/// (a data-parallel validation sums the parts of its ranks).
struct ErrorSums {
  double absolute = 0.0;  ///< sum of |prediction - target|
  double squared = 0.0;   ///< sum of (prediction - target)^2
  int64_t count = 0;

  void add(double prediction, double target);
  /// MAE and RMSE; both NaN when count is 0.
  ErrorMetrics metrics() const;
};

/// MAE and RMSE of `predictions` against `targets` (same length, at least one).
ErrorMetrics error_metrics(const std::vector<double>& predictions, const std::vector<double>& targets);

/// One validation of a run.
struct ValidationRecord {
  double epoch = 0.0;                 ///< epochs of training done (fractional within an epoch)
  int64_t step = 0;                   ///< optimizer steps done
  int64_t molecules = 0;              ///< training molecules seen
  double train_loss = 0.0;            ///< mean training loss of the steps since the previous validation
  double learning_rate = 0.0;         ///< the rate of the last step
  /// What selects the best model: the mean over targets of val MAE / s, s the standard
  /// deviation of t - p_m (the target less its atom references (2.58)) over the training
  /// molecules (TrainingState::score_scales), so that 1 is about the error of predicting the
  /// mean and every target counts alike; lower is better.
  double score = 0.0;
  std::vector<ErrorMetrics> targets;  ///< validation MAE and RMSE per target, in the run's order
  double seconds = 0.0;               ///< training time since the previous validation
  double molecules_per_second = 0.0;  ///< training throughput over that time
  double elapsed_seconds = 0.0;       ///< training time of the run up to this validation
};

/// metrics.csv: a header and one line per validation, with columns mae_<name>, rmse_<name>
/// for each of `target_names`.
std::string metrics_csv(const std::vector<ValidationRecord>& history, const std::vector<std::string>& target_names);

}  // namespace e3::train
