#pragma once
// What e3cpp predict writes on standard error beside its table, so that the values on standard
// output stay a table: a warning naming the file and line of the first molecules outside the
// training domain and of the first records not predicted, and at the end a count of each flag
// and reason and where the time went. The counts travel as JSON from the processes of
// `predict --nproc` to the one that merges their tables, which sums them.

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "e3/chem/structure.h"
#include "e3/data/molecule.h"
#include "e3/data/molecule_formats.h"
#include "e3/train/training_domain.h"

namespace e3::cli {

/// What a prediction met: its molecules, flags, records not predicted and times.
struct PredictionCounts {
  int64_t molecules = 0;  ///< molecules predicted
  int64_t flagged = 0;    ///< of them, outside the training domain
  int64_t flagged_warned = 0;  ///< of them, named in a warning
  std::array<int64_t, 4> flags{};  ///< per train::DomainFlag
  int64_t uncertain = 0;  ///< molecules an ensemble was uncertain of (predict --flag-uncertain)
  int64_t skipped = 0;  ///< records not predicted
  int64_t skipped_warned = 0;  ///< of them, named in a warning
  std::map<std::string, int64_t> reasons;  ///< records not predicted, per reason
  chem::EmbeddingTimes times;  ///< 3D structures made from SMILES and SDF
  double predict_seconds = 0;  ///< in the network

  nlohmann::json to_json() const;
  /// The counts to_json() wrote; nlohmann::json's exception for anything else.
  static PredictionCounts from_json(const nlohmann::json& json);
  /// Adds `other` (another process's counts).
  void add(const PredictionCounts& other);
};

/// Flags molecules outside a run's training domain into `counts`, with a warning for the first
/// ten.
class DomainReport {
 public:
  DomainReport(const std::optional<train::TrainingDomain>& domain, PredictionCounts& counts)
      : domain_(domain), counts_(counts) {}
  /// The flags of `molecule` (domain_flag_name() words), counted.
  std::vector<std::string> check(const data::Molecule& molecule);

 private:
  const std::optional<train::TrainingDomain>& domain_;
  PredictionCounts& counts_;
};

/// Counts a record that was not predicted (it gave no molecule, or the model does not know an
/// element), with a warning for the first ten.
void report_skipped(const data::SkippedMolecule& record, PredictionCounts& counts);

/// The end of the standard error of a prediction with the run at `run` (its domain `domain`):
/// the counts of flags and reasons, and for SMILES and SDF input where the time went.
void summarize_prediction(const PredictionCounts& counts, const std::optional<train::TrainingDomain>& domain,
                          const std::string& run, double total_seconds, std::ostream& out);

}  // namespace e3::cli
