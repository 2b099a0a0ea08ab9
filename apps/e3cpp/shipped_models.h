#pragma once
// The trained models that come with e3cpp (models/ in the repository): each a directory that
// eval and predict open like a run (best.pt, config.json, split.json, domain.json), with its
// model card (README.md) and the test errors the card states (test.json: `e3cpp eval --json`
// on the test split of the data it was trained on).

#include <string>
#include <vector>

namespace e3::cli {

/// Where the shipped models are: $E3CPP_MODELS when set, else the repository's models/ (the
/// path is compiled in, so a build finds them from any working directory).
std::string shipped_models_directory();

/// The names of the shipped models (the directories of shipped_models_directory() that hold a
/// config.json), in name order.
std::vector<std::string> shipped_model_names();

/// The directory of the shipped model `name`; a UsageError listing the names when there is none.
std::string shipped_model_path(const std::string& name);

}  // namespace e3::cli
