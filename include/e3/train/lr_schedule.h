#pragma once
// The learning rate of every optimizer step: constant (Table 3.1: Adam at 1e-4), reduced on
// plateau (the schedule schnetpack trains with), or cosine decay over the planned run; any of
// them with a linear warm-up.
//
//   warm-up:  the scheduled rate times (step + 1) / warmup_steps for step < warmup_steps
//   constant: base
//   plateau:  base * factor^k, never below min, k the number of reductions so far: a reduction
//             happens when `patience` validations in a row did not improve on the best score
//   cosine:   min + (base - min) (1 + cos(pi t)) / 2, t = (step - warmup) / (total - warmup)
//             clamped to [0, 1]: base after the warm-up, min at the planned last step

#include <cstdint>
#include <string>

namespace e3::train {

enum class ScheduleKind { constant, plateau, cosine };

/// Parses "constant", "plateau" or "cosine".
ScheduleKind schedule_kind_from_string(const std::string& name);

struct ScheduleOptions {
  ScheduleKind kind = ScheduleKind::constant;
  double base = 1e-4;
  int64_t warmup_steps = 0;
  double factor = 0.5;    ///< plateau
  int64_t patience = 5;   ///< plateau, in validations
  double min = 0.0;       ///< cosine's floor, plateau's minimum
  int64_t total_steps = 1;  ///< cosine: the steps of the planned run
};

/// What a plateau schedule has learnt from the validations so far (saved with a run).
struct PlateauState {
  double scale = 1.0;  ///< factor^k
  double best = 0.0;   ///< the best score so far (valid when seen)
  bool seen = false;
  int64_t bad = 0;     ///< validations since the best one
};

class LearningRateSchedule {
 public:
  explicit LearningRateSchedule(ScheduleOptions options, PlateauState state = {});

  /// The rate of optimizer step `step` (counted from 0).
  double rate(int64_t step) const;
  /// Takes a validation's score (lower is better); returns true when the rate was reduced.
  bool observe(double score);

  const PlateauState& state() const { return state_; }
  const ScheduleOptions& options() const { return options_; }

 private:
  ScheduleOptions options_;
  PlateauState state_;
};

}  // namespace e3::train
