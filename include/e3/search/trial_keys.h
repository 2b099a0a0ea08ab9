#pragma once
// The keys of a trial's configuration: a trial is a normal training run, so its configuration
// is a flat JSON object of `e3cpp train` keys (include/e3/train/config.h).

#include <string>

#include "e3/train/config.h"

namespace e3::search {

/// The key `name` of a training configuration, with its type; nullptr when e3cpp train has
/// no such key. Besides train::config_keys() this knows the keys of the multi-target network
/// (thesis Figure 3.6) that Table 3.3 searches over.
const train::ConfigKey* find_trial_key(const std::string& name);

/// Keys every trial takes from the study (its data, epochs, targets, split and seed: the same
/// for every trial, so that their errors compare), never from a search space.
bool is_study_key(const std::string& name);

/// Keys whose value is a representation (Rs): the ones the `components` distribution of (3.4)
/// may draw.
bool is_representation_key(const std::string& name);

}  // namespace e3::search
