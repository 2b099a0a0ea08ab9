#pragma once
// How often a run validates: the `validate_every` key.

#include <string>

namespace e3::train {

struct ValidationInterval {
  enum class Unit { epoch, steps, minutes };
  Unit unit = Unit::epoch;
  /// Steps or minutes of training between validations (1 for `epoch`).
  double every = 1.0;
};

/// Parses "epoch", "N steps" (or "N step", "N": optimizer steps, N >= 1) and "X min" (or
/// "X minutes", X > 0: minutes of training time, not counting validation). std::invalid_argument
/// otherwise, saying what is accepted.
ValidationInterval parse_validation_interval(const std::string& text);

}  // namespace e3::train
