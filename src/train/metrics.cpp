#include "e3/train/metrics.h"

#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace e3::train {

ErrorMetrics error_metrics(const std::vector<double>& predictions, const std::vector<double>& targets) {
  if (predictions.empty() || predictions.size() != targets.size()) {
    throw std::invalid_argument("error_metrics: predictions and targets must be non-empty and of equal length");
  }
  double absolute = 0.0, squared = 0.0;
  for (size_t i = 0; i < predictions.size(); ++i) {
    const double error = predictions[i] - targets[i];
    absolute += std::abs(error);
    squared += error * error;
  }
  const auto n = static_cast<double>(predictions.size());
  return {absolute / n, std::sqrt(squared / n), static_cast<int64_t>(predictions.size())};
}

std::string metrics_csv(const std::vector<EpochRecord>& history) {
  std::ostringstream out;
  out << "epoch,train_loss,val_mae,val_rmse,epoch_seconds,molecules_per_second,elapsed_seconds\n";
  out << std::setprecision(8);
  for (const auto& r : history) {
    out << r.epoch << ',' << r.train_loss << ',' << r.val_mae << ',' << r.val_rmse << ',' << r.seconds << ','
        << r.molecules_per_second << ',' << r.elapsed_seconds << '\n';
  }
  return out.str();
}

}  // namespace e3::train
