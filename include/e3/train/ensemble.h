#pragma once
// An ensemble (a committee, as MACE's): K models trained alike, differing only in the seed of
// their initialization and data order, on the same split. Its prediction is the members' mean,
// and their standard deviation says how far to trust it. Its directory holds ensemble.json
// ({"members": K}) and one run directory per member: member-1, ..., member-K, each a run of its
// own (eval and predict open the ensemble's directory or a member's).

#include <cstdint>
#include <string>

#include "e3/train/config.h"

namespace e3::train {

/// Whether `path` is an ensemble's directory (it has ensemble.json).
bool is_ensemble(const std::string& path);

/// The number of members of the ensemble at `path`; DataError naming its ensemble.json when
/// that is not {"members": K} with K >= 1.
int64_t ensemble_members(const std::string& path);

/// The run directory of member `k` (from 1) of the ensemble at `path`.
std::string ensemble_member_path(const std::string& path, int64_t k);

/// Makes the directory of a new ensemble of `members` members: std::runtime_error naming
/// `path` when it exists and is not empty (or members < 1).
void create_ensemble(const std::string& path, int64_t members);

/// The configuration of member `k` (from 1) from the first member's: seed + k - 1, and the
/// split of the first member's seeds (split_seed resolved to a number).
TrainConfig ensemble_member_config(const TrainConfig& first, int64_t k);

}  // namespace e3::train
