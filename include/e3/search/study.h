#pragma once
// A study: a search space, a seed and the settings every trial shares. Its trials'
// configurations follow from these alone (trial n: the space's draw for (seed, n) plus the
// study's data, epochs, targets, split and seed), so a study is the same whatever the number of
// workers, and a stopped study continues with the same command.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "e3/search/asha.h"
#include "e3/search/space.h"

namespace e3::search {

/// What every trial of a study shares, and how the study is run.
struct StudySettings {
  // The definition: fixed when the study is created.
  int64_t epochs = 10;            ///< epochs per trial (the thesis: 10)
  std::string data;               ///< the molecules (absolute path); empty for the synthetic runner
  std::string targets = "all";    ///< "all" or a comma-separated list of QM9 targets
  std::string split;              ///< train,val[,test] as e3cpp train reads it; empty: its default
  std::string runner = "train";   ///< "train" (e3cpp train) or "synthetic" (search/synthetic_runner.h)
  double synthetic_epoch_seconds = 0.0;  ///< synthetic runner: time each epoch takes
  bool prune = false;             ///< ASHA pruning (search/asha.h)
  AshaOptions asha;

  // How it runs: a later command may change these.
  int64_t trials = 40;            ///< trials in the study (the thesis: 40); may only grow
  double heartbeat_timeout = 60;  ///< seconds without a heartbeat after which a running trial is requeued
  int64_t max_attempts = 3;       ///< a trial whose worker died this many times has failed

  nlohmann::json to_json() const;
  /// std::runtime_error naming `origin` for a missing or mistyped member.
  static StudySettings from_json(const nlohmann::json& json, const std::string& origin);
};

struct StudyDefinition {
  std::string name;
  std::string uid;  ///< set by the store when it creates the study: tells two studies of one name apart
  uint64_t seed = 0;
  SearchSpace space;
  StudySettings settings;

  /// The training configuration of trial `number`: what `e3cpp train --config` reads.
  nlohmann::json trial_config(int64_t number) const;
};

/// The first difference in what defines two studies (space, seed, and the definition part of
/// the settings; not the name or uid), as "the epochs (10 vs 20)"; empty when they define the
/// same study.
std::string definition_difference(const StudyDefinition& a, const StudyDefinition& b);

/// "trial-0007": the name of trial 7's run directory under the runs directory of its worker.
std::string trial_name(int64_t number);

/// The file beside a trial's run directory RUN that holds the trial's configuration: RUN.json.
std::string trial_config_file(const std::string& run_dir);

}  // namespace e3::search
