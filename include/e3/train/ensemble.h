#pragma once
// An ensemble (a committee, as MACE's): K models trained alike, differing only in the seed of
// their initialization and data order, on the same split. Its prediction is the members' mean,
// and their standard deviation says how far to trust it. Its directory holds ensemble.json
// ({"members": K}) and one run directory per member: member-1, ..., member-K, each a run of its
// own (eval and predict open the ensemble's directory or a member's). ensemble.json holds
// {"members": K, "config": {...}}: the first member's configuration, from which every member's
// follows, so that a member can start before or without the others (ranks of `train --nproc`).

#include <cstdint>
#include <string>
#include <vector>

#include "e3/train/config.h"

namespace e3::train {

/// Whether `path` is an ensemble's directory (it has ensemble.json).
bool is_ensemble(const std::string& path);

/// The number of members of the ensemble at `path`; DataError naming its ensemble.json when
/// that is not {"members": K} with K >= 1.
int64_t ensemble_members(const std::string& path);

/// The run directory of member `k` (from 1) of the ensemble at `path`.
std::string ensemble_member_path(const std::string& path, int64_t k);

/// Makes the directory of a new ensemble of `members` members whose first member is trained
/// with `first`: std::runtime_error naming `path` when it exists and is not empty (or
/// members < 1).
void create_ensemble(const std::string& path, int64_t members, const TrainConfig& first);

/// The configuration of member `k` (from 1) of the ensemble at `path`: the first member's with
/// seed + k - 1, and the split of the first member's seed (split_seed resolved to a number).
/// DataError naming its ensemble.json when that holds no configuration.
TrainConfig ensemble_member_config(const std::string& path, int64_t k);

/// The members (from 1) that process `rank` of `processes` trains: k with (k - 1) mod
/// processes = rank, in order.
std::vector<int64_t> ensemble_members_of_process(int64_t members, int rank, int processes);

}  // namespace e3::train
