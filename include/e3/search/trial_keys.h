#pragma once
// The keys of a trial's configuration: a trial is a normal training run, so its configuration
// is a flat JSON object of `e3cpp train` keys (include/e3/train/config.h, train::find_config_key).

#include <string>

#include "e3/train/config.h"

namespace e3::search {

/// Keys every trial takes from the study (its data, epochs, targets, split and seed: the same
/// for every trial, so that their errors compare), never from a search space.
bool is_study_key(const std::string& name);

/// Keys whose value is a representation (Rs): the ones the `components` distribution of (3.4)
/// may draw.
bool is_representation_key(const std::string& name);

}  // namespace e3::search
