#pragma once
// Pruning by asynchronous successive halving (ASHA: Li et al., "A System for Massively Parallel
// Hyperparameter Tuning", MLSys 2020), beyond the thesis, which trained all forty trials for
// ten epochs.
//
// Rungs are epochs r, r*eta, r*eta^2, ... below the trial's last epoch (r: the minimum
// resource, eta: the reduction factor). When a trial reaches a rung it compares its validation
// score (lower is better) with the scores every trial of the study reported at that rung so
// far, its own included, and continues only when it is among the best 1/eta of them. No trial
// waits for others (the asynchronous variant): a decision uses whatever has been reported.
//
// ASHA proper pauses a trial that is not yet promotable and may promote it later; a trial here
// is never paused, it continues or stops for good. So that the first trials at a rung are not
// stopped on too little evidence, a rung that has fewer than eta scores lets every trial pass.

#include <cstdint>
#include <vector>

namespace e3::search {

struct AshaOptions {
  int64_t reduction_factor = 3;  ///< eta (at least 2): a rung keeps the best 1/eta
  /// r (at least 1): the first rung. Not 1: where learning curves cross, a first rung after one epoch
  /// pruned the eventual winner, both in an 8-trial study of L-Nets on the sample and in synthetic ones.
  int64_t min_epochs = 2;
};

/// The rung epochs of a trial that trains `epochs` epochs: r * eta^k < epochs, ascending.
/// (A rung at the last epoch would save nothing.)
std::vector<int64_t> asha_rungs(const AshaOptions& options, int64_t epochs);

/// Whether a trial whose score at a rung is `score` continues, given `rung_scores`: every score
/// reported at that rung, `score` itself included. It continues when fewer than eta scores are
/// known, or when `score` is no worse than the floor(n / eta)-th best of the n scores.
bool asha_continues(double score, std::vector<double> rung_scores, int64_t reduction_factor);

}  // namespace e3::search
