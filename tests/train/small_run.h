#pragma once
// A training configuration small enough for tests: a tiny L1-type network on a slice of the
// embedded sample, seconds per run.

#include <string>

#include "e3/train/config.h"

namespace e3::testing {

/// Target `target`, 160/48/48 molecules of the sample, a few epochs.
train::TrainConfig small_config(const std::string& target = "mu");

}  // namespace e3::testing
