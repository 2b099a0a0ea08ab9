#include "prediction_reports.h"

#include <iomanip>
#include <iostream>

namespace e3::cli {
namespace {

constexpr int64_t kWarnings = 10;  // warnings written one by one before only a count

}  // namespace

nlohmann::json PredictionCounts::to_json() const {
  return {{"molecules", molecules},
          {"flagged", flagged},
          {"flagged_warned", flagged_warned},
          {"flags", flags},
          {"uncertain", uncertain},
          {"skipped", skipped},
          {"skipped_warned", skipped_warned},
          {"reasons", reasons},
          {"structures", times.structures},
          {"conformers", times.conformers},
          {"parse_seconds", times.parse_seconds},
          {"embed_seconds", times.embed_seconds},
          {"optimize_seconds", times.optimize_seconds},
          {"xtb_seconds", times.xtb_seconds},
          {"predict_seconds", predict_seconds}};
}

PredictionCounts PredictionCounts::from_json(const nlohmann::json& json) {
  PredictionCounts counts;
  counts.molecules = json.at("molecules");
  counts.flagged = json.at("flagged");
  counts.flagged_warned = json.at("flagged_warned");
  counts.flags = json.at("flags");
  counts.uncertain = json.at("uncertain");
  counts.skipped = json.at("skipped");
  counts.skipped_warned = json.at("skipped_warned");
  counts.reasons = json.at("reasons").get<std::map<std::string, int64_t>>();
  counts.times.structures = json.at("structures");
  counts.times.conformers = json.at("conformers");
  counts.times.parse_seconds = json.at("parse_seconds");
  counts.times.embed_seconds = json.at("embed_seconds");
  counts.times.optimize_seconds = json.at("optimize_seconds");
  counts.times.xtb_seconds = json.at("xtb_seconds");
  counts.predict_seconds = json.at("predict_seconds");
  return counts;
}

void PredictionCounts::add(const PredictionCounts& other) {
  molecules += other.molecules;
  flagged += other.flagged;
  flagged_warned += other.flagged_warned;
  for (size_t f = 0; f < flags.size(); ++f) flags[f] += other.flags[f];
  uncertain += other.uncertain;
  skipped += other.skipped;
  skipped_warned += other.skipped_warned;
  for (const auto& [reason, count] : other.reasons) reasons[reason] += count;
  times.structures += other.times.structures;
  times.conformers += other.times.conformers;
  times.parse_seconds += other.times.parse_seconds;
  times.embed_seconds += other.times.embed_seconds;
  times.optimize_seconds += other.times.optimize_seconds;
  times.xtb_seconds += other.times.xtb_seconds;
  predict_seconds += other.predict_seconds;
}

std::vector<std::string> DomainReport::check(const data::Molecule& molecule) {
  ++counts_.molecules;
  const auto flags = train::domain_flags(molecule, domain_);
  std::vector<std::string> names;
  if (flags.empty()) return names;
  ++counts_.flagged;
  for (auto flag : flags) {
    ++counts_.flags[static_cast<size_t>(flag)];
    names.push_back(train::domain_flag_name(flag));
  }
  if (counts_.flagged_warned < kWarnings) {
    ++counts_.flagged_warned;
    std::cerr << "warning: " << molecule.source_file << ':' << molecule.source_line << ": molecule " << molecule.id
              << " is outside the training domain:";
    for (size_t f = 0; f < flags.size(); ++f) {
      std::cerr << (f ? ";" : "") << ' ' << names[f] << " (" << train::describe_domain_flag(flags[f], molecule, domain_)
                << ')';
    }
    std::cerr << '\n';
  }
  return names;
}

void report_skipped(const data::SkippedMolecule& record, PredictionCounts& counts) {
  ++counts.skipped;
  ++counts.reasons[record.reason];
  if (counts.skipped_warned < kWarnings) {
    ++counts.skipped_warned;
    std::cerr << "warning: " << record.source_file << ':' << record.source_line << ": " << record.reason
              << ": molecule " << record.id << " is not predicted (" << record.detail << ")\n";
  }
}

void summarize_prediction(const PredictionCounts& counts, const std::optional<train::TrainingDomain>& domain,
                          const std::string& run, double total_seconds, std::ostream& out) {
  if (!domain) {
    out << "note: " << run << " has no domain.json (it was trained before e3cpp recorded its training domain): "
        << "only coincident atoms and charged molecules are flagged\n";
  }
  if (counts.flagged > 0) {
    if (counts.flagged > counts.flagged_warned) {
      out << "warning: ... and " << counts.flagged - counts.flagged_warned << " more flagged molecules\n";
    }
    out << "warning: " << counts.flagged << " of " << counts.molecules << " molecules are outside the training domain (";
    for (size_t f = 0; f < counts.flags.size(); ++f) {
      out << (f ? ", " : "") << counts.flags[f] << ' ' << train::domain_flag_name(static_cast<train::DomainFlag>(f));
    }
    out << "): their predictions are extrapolations (the flags column says why)\n";
  }
  if (counts.uncertain > 0) {
    out << "warning: " << counts.uncertain << " of " << counts.molecules
        << " molecules are uncertain: the ensemble's members disagree by more than --flag-uncertain\n";
  }
  if (counts.skipped > 0) {
    out << "warning: " << counts.skipped << " records were not predicted (";
    bool first = true;
    for (const auto& [reason, count] : counts.reasons) {
      out << (first ? "" : ", ") << count << ' ' << reason;
      first = false;
    }
    out << "): their rows have '-' for values\n";
  }
  const auto& times = counts.times;
  if (times.structures == 0) return;
  out << std::fixed << std::setprecision(2) << "note: 3D structures for " << times.structures
      << (times.structures == 1 ? " molecule (" : " molecules (") << times.conformers
      << (times.conformers == 1 ? " conformer" : " conformers") << "; seconds summed over the embedding threads"
      << "): RDKit parsing " << times.parse_seconds << " s, ETKDG embedding " << times.embed_seconds
      << " s, force field " << times.optimize_seconds << " s";
  if (times.xtb_seconds > 0) out << ", GFN2-xTB " << times.xtb_seconds << " s";
  out << "; the network " << counts.predict_seconds << " s; " << total_seconds << " s in all, reading the run included ("
      << std::setprecision(1) << times.structures / total_seconds << " molecules/s)\n";
}

}  // namespace e3::cli
