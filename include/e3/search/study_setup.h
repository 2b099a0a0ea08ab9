#pragma once
// Setting a study up, whatever program asks for it (e3cpp hpsearch, a test): the runner its
// settings name, where its runs go by default, and creating the study or checking a stored one
// against what is asked before a trial starts.

#include <memory>
#include <optional>
#include <string>

#include "e3/search/study.h"
#include "e3/search/study_store.h"
#include "e3/search/trial_runner.h"

namespace e3::search {

/// The runner of `settings.runner`: "train" trains each trial with e3cpp's trainer
/// (TrainerRunner), "synthetic" draws learning curves in seconds (SyntheticRunner).
std::unique_ptr<TrialRunner> make_runner(const StudySettings& settings);

/// Where the trials' run directories go when no directory is given: beside an SQLite study
/// file, DATABASE-NAME-runs (so two studies of one name in two files do not share it); for a
/// PostgreSQL study, NAME-runs in the current directory. An absolute path.
std::string default_runs_directory(const std::string& location, const std::string& name);

/// The study to search in `store`, given what is stored (`stored`: none for a new study) and
/// what the command asks for (`requested`: the stored definition with the given options
/// applied, or a new definition). A stored study must be asked for with its definition
/// (otherwise std::runtime_error naming the first difference) and may grow its trials, never
/// shrink them (std::invalid_argument); settings outside the definition (trials, heartbeat,
/// attempts) are updated. Every new trial's configuration is checked by the runner before
/// anything is stored, then the study is created (or updated) and its new trials queued.
/// Returns the definition searched, with the store's uid.
StudyDefinition prepare_study(StudyStore& store, const std::optional<StudyDefinition>& stored,
                              const StudyDefinition& requested);

}  // namespace e3::search
