#include "e3/train/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace e3::train {

ScheduleKind schedule_kind_from_string(const std::string& name) {
  if (name == "constant") return ScheduleKind::constant;
  if (name == "plateau") return ScheduleKind::plateau;
  if (name == "cosine") return ScheduleKind::cosine;
  throw std::invalid_argument("unknown learning-rate schedule '" + name + "' (valid: constant, plateau, cosine)");
}

LearningRateSchedule::LearningRateSchedule(ScheduleOptions options, PlateauState state)
    : options_(options), state_(state) {}

double LearningRateSchedule::rate(int64_t step) const {
  double rate = options_.base;
  switch (options_.kind) {
    case ScheduleKind::constant: break;
    case ScheduleKind::plateau: rate = std::max(options_.min, options_.base * state_.scale); break;
    case ScheduleKind::cosine: {
      const double span = double(std::max<int64_t>(1, options_.total_steps - options_.warmup_steps));
      const double t = std::clamp(double(step - options_.warmup_steps) / span, 0.0, 1.0);
      rate = options_.min + (options_.base - options_.min) * 0.5 * (1.0 + std::cos(M_PI * t));
      break;
    }
  }
  if (step < options_.warmup_steps) rate *= double(step + 1) / double(options_.warmup_steps);
  return rate;
}

bool LearningRateSchedule::observe(double score) {
  if (!state_.seen || score < state_.best) {
    state_.best = score;
    state_.seen = true;
    state_.bad = 0;
    return false;
  }
  ++state_.bad;
  if (options_.kind != ScheduleKind::plateau || state_.bad <= options_.patience) return false;
  const double before = rate(options_.warmup_steps);
  state_.scale *= options_.factor;
  state_.bad = 0;
  return rate(options_.warmup_steps) < before;
}

}  // namespace e3::train
