#pragma once
// The leaderboard of a study, ranked as the thesis ranked its forty trials (Section 3.2.1:
// "ARandNet outperformed all other hyperparameter sets on five targets"): by the number of
// targets on which a trial has the lowest test MAE of all complete trials, ties broken by the
// mean over targets of test MAE / sigma (the normalized MAE, search/trial_runner.h), then by
// trial number. Trials that are not complete (pruned, failed, running, queued) follow, unranked.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "e3/search/study_store.h"

namespace e3::search {

struct LeaderboardEntry {
  TrialRecord trial;
  int64_t rank = 0;                  ///< 1 for the best; 0 for a trial that is not complete
  std::vector<std::string> best_on;  ///< targets on which no complete trial has a lower test MAE
  std::optional<double> normalized_mae;  ///< complete trials: mean test MAE / sigma
};

class Leaderboard {
 public:
  /// The ranking of `trials` on `targets` (the study's); the tables show the values of
  /// `hyperparameters` (the keys the study searches) of each trial.
  Leaderboard(std::vector<TrialRecord> trials, std::vector<std::string> targets, std::vector<std::string> hyperparameters);

  /// The leaderboard of the study in `store`.
  static Leaderboard of(StudyStore& store, const StudyDefinition& definition);

  /// Complete trials by rank, then the others by number.
  const std::vector<LeaderboardEntry>& entries() const { return entries_; }
  /// The complete trial with the lowest test MAE on `target` (ties: the lower number); nullptr
  /// when no trial is complete. std::invalid_argument when the study has no such target.
  const TrialRecord* best_for(const std::string& target) const;
  /// The rank-1 trial; nullptr when no trial is complete.
  const LeaderboardEntry* leader() const;

  /// One line: trials done (complete, pruned, failed), running and queued, and the leader.
  std::string status_line() const;
  /// A table: rank, trial, state, targets best on, normalized MAE, every target's test MAE
  /// (* where it is the best), the hyperparameters and the run directory; then failed trials'
  /// messages.
  std::string text() const;
  /// {"targets", "trials": [{"rank", "trial", "state", "best_on", "normalized_mae", "test_mae",
  ///  "best_validation_score", "epochs_done", "hyperparameters", "run_dir", "config_file",
  ///  "message"}]}; rank and normalized_mae are null for trials that are not complete.
  nlohmann::json json() const;
  /// The table as CSV: one header line, one line per trial.
  std::string csv() const;

 private:
  std::vector<LeaderboardEntry> entries_;
  std::vector<std::string> targets_;
  std::vector<std::string> hyperparameters_;
};

}  // namespace e3::search
