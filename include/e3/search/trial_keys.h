#pragma once
// The keys of a trial's configuration: a trial is a normal training run, so its configuration
// is a flat JSON object of `e3cpp train` keys (include/e3/train/config.h, train::find_config_key).

#include <string>

#include "e3/train/config.h"

namespace e3::search {

/// Keys every trial takes from the study (its data, epochs, targets, split and seed: the same
/// for every trial, so that their errors compare), never from a search space.
bool is_study_key(const std::string& name);

/// Why a trial must leave key `name` at e3cpp train's default, or nullptr when it may set it. A
/// study reads a trial as one validation per epoch for the study's epochs (the validations it
/// records, ASHA's rungs), so a space may not set validate_every, patience or max_minutes.
const char* fixed_by_the_study(const std::string& name);

/// Keys whose value is a representation (Rs): the ones the `components` distribution of (3.4)
/// may draw.
bool is_representation_key(const std::string& name);

}  // namespace e3::search
