#include "e3/train/metrics.h"

#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace e3::train {

void ErrorSums::add(double prediction, double target) {
  const double error = prediction - target;
  absolute += std::abs(error);
  squared += error * error;
  ++count;
}

ErrorMetrics ErrorSums::metrics() const {
  if (count == 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, 0};
  }
  const auto n = static_cast<double>(count);
  return {absolute / n, std::sqrt(squared / n), count};
}

ErrorMetrics error_metrics(const std::vector<double>& predictions, const std::vector<double>& targets) {
  if (predictions.empty() || predictions.size() != targets.size()) {
    throw std::invalid_argument("error_metrics: predictions and targets must be non-empty and of equal length");
  }
  ErrorSums sums;
  for (size_t i = 0; i < predictions.size(); ++i) sums.add(predictions[i], targets[i]);
  return sums.metrics();
}

std::string metrics_csv(const std::vector<ValidationRecord>& history, const std::vector<std::string>& target_names) {
  std::ostringstream out;
  out << "epoch,step,molecules,train_loss,learning_rate,val_score";
  for (const auto& name : target_names) out << ",mae_" << name << ",rmse_" << name;
  out << ",seconds,molecules_per_second,elapsed_seconds\n";
  out << std::setprecision(8);
  for (const auto& r : history) {
    out << r.epoch << ',' << r.step << ',' << r.molecules << ',' << r.train_loss << ',' << r.learning_rate << ','
        << r.score;
    for (const auto& t : r.targets) out << ',' << t.mae << ',' << t.rmse;
    out << ',' << r.seconds << ',' << r.molecules_per_second << ',' << r.elapsed_seconds << '\n';
  }
  return out.str();
}

}  // namespace e3::train
