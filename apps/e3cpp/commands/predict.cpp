// e3cpp predict: a trained run's targets for the molecules of XYZ, SMILES, CSV or SDF files.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>

#include "args.h"
#include "commands.h"
#include "e3/chem/structure.h"
#include "e3/data/dataset.h"
#include "e3/data/molecule_formats.h"
#include "e3/data/molecule_stream.h"
#include "e3/train/trained_run.h"
#include "e3/train/training_domain.h"
#include "prediction_table.h"
#include "read_options.h"
#include "threads_option.h"

namespace e3::cli {
namespace {

constexpr int64_t kWarnings = 10;  // warnings written one by one before only a count

// The molecules predict flags: a warning naming the file and line of the first few, and a count
// of each flag at the end, on standard error, so that the values on standard output stay a table.
class DomainReport {
 public:
  explicit DomainReport(const std::optional<train::TrainingDomain>& domain) : domain_(domain) {}

  std::vector<std::string> check(const data::Molecule& molecule) {
    ++molecules_;
    const auto flags = train::domain_flags(molecule, domain_);
    std::vector<std::string> names;
    if (flags.empty()) return names;
    ++flagged_;
    for (auto flag : flags) {
      ++counts_[static_cast<size_t>(flag)];
      names.push_back(train::domain_flag_name(flag));
    }
    if (flagged_ <= kWarnings) {
      std::cerr << "warning: " << molecule.source_file << ':' << molecule.source_line << ": molecule " << molecule.id
                << " is outside the training domain:";
      for (size_t f = 0; f < flags.size(); ++f) {
        std::cerr << (f ? ";" : "") << ' ' << names[f] << " ("
                  << train::describe_domain_flag(flags[f], molecule, domain_) << ')';
      }
      std::cerr << '\n';
    }
    return names;
  }

  void summarize(const std::string& run, std::ostream& out) const {
    if (!domain_) {
      out << "note: " << run << " has no domain.json (it was trained before e3cpp recorded its training domain): "
          << "only coincident atoms and charged molecules are flagged\n";
    }
    if (flagged_ == 0) return;
    if (flagged_ > kWarnings) out << "warning: ... and " << flagged_ - kWarnings << " more flagged molecules\n";
    out << "warning: " << flagged_ << " of " << molecules_ << " molecules are outside the training domain (";
    for (size_t f = 0; f < counts_.size(); ++f) {
      out << (f ? ", " : "") << counts_[f] << ' ' << train::domain_flag_name(static_cast<train::DomainFlag>(f));
    }
    out << "): their predictions are extrapolations (the flags column says why)\n";
  }

 private:
  const std::optional<train::TrainingDomain>& domain_;
  int64_t molecules_ = 0, flagged_ = 0;
  std::array<int64_t, 4> counts_{};  // one per DomainFlag
};

// The records that gave no molecule: a warning naming the file and line of the first few, and a
// count of each reason at the end.
class SkipReport {
 public:
  void add(const data::SkippedMolecule& record) {
    if (++skipped_ <= kWarnings) {
      std::cerr << "warning: " << record.source_file << ':' << record.source_line << ": " << record.reason
                << ": molecule " << record.id << " is not predicted (" << record.detail << ")\n";
    }
    ++reasons_[record.reason];
  }
  void summarize(std::ostream& out) const {
    if (skipped_ == 0) return;
    out << "warning: " << skipped_ << " records gave no molecule (";
    bool first = true;
    for (const auto& [reason, count] : reasons_) {
      out << (first ? "" : ", ") << count << ' ' << reason;
      first = false;
    }
    out << "): their rows have '-' for values\n";
  }

 private:
  int64_t skipped_ = 0;
  std::map<std::string, int64_t> reasons_;
};

// The conformers of one structure, averaged into one row: their mean and standard deviation
// per target, and every flag any of them has.
class ConformerAverage {
 public:
  bool empty() const { return count_ == 0; }
  // Whether `molecule` is a conformer of the structure being averaged.
  bool same_structure(const data::Molecule& molecule) const {
    return count_ > 0 && molecule.source_file == file_ && molecule.source_line == line_;
  }
  void add(const PredictionRow& row, const data::Molecule& molecule) {
    if (count_ == 0) {
      row_ = row;
      file_ = molecule.source_file;
      line_ = molecule.source_line;
      const std::string suffix = ":" + std::to_string(molecule.conformer);
      if (row_.molecule.size() > suffix.size() && row_.molecule.compare(row_.molecule.size() - suffix.size(), suffix.size(), suffix) == 0) {
        row_.molecule.resize(row_.molecule.size() - suffix.size());
      }
      sum_.assign(row.values->size(), 0.0);
      sum_squares_.assign(row.values->size(), 0.0);
      row_.flags.clear();
    }
    for (size_t t = 0; t < sum_.size(); ++t) {
      sum_[t] += (*row.values)[t];
      sum_squares_[t] += (*row.values)[t] * (*row.values)[t];
    }
    for (const auto& flag : row.flags) {
      if (std::find(row_.flags.begin(), row_.flags.end(), flag) == row_.flags.end()) row_.flags.push_back(flag);
    }
    ++count_;
  }
  // The averaged row; the average is empty again.
  PredictionRow take() {
    std::vector<double> mean(sum_.size());
    row_.spread.assign(sum_.size(), 0.0);
    for (size_t t = 0; t < sum_.size(); ++t) {
      mean[t] = sum_[t] / count_;
      row_.spread[t] = std::sqrt(std::max(0.0, sum_squares_[t] / count_ - mean[t] * mean[t]));
    }
    row_.values = mean;
    row_.conformers = count_;
    row_.vectors.clear();
    count_ = 0;
    return row_;
  }

 private:
  PredictionRow row_;
  std::string file_;
  int64_t line_ = 0;
  std::vector<double> sum_, sum_squares_;
  int64_t count_ = 0;
};

// The molecules predict holds at a time: enough for full batches, few enough that memory does
// not grow with the input.
constexpr size_t kWindow = 1024;

// Up to kWindow next molecules of `stream`.
std::vector<data::Molecule> read_window(data::MoleculeStream& stream) {
  std::vector<data::Molecule> window;
  while (window.size() < kWindow) {
    auto molecule = stream.next();
    if (!molecule) break;
    window.push_back(std::move(*molecule));
  }
  return window;
}

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Where the time of a prediction from SMILES or SDF went, on standard error.
void report_structure_times(double predict_seconds, double total_seconds, std::ostream& out) {
  const auto times = chem::embedding_times();
  if (times.structures == 0) return;
  out << std::fixed << std::setprecision(2) << "note: 3D structures for " << times.structures
      << (times.structures == 1 ? " molecule (" : " molecules (") << times.conformers
      << (times.conformers == 1 ? " conformer" : " conformers") << "; seconds summed over the embedding threads"
      << "): RDKit parsing " << times.parse_seconds
      << " s, ETKDG embedding " << times.embed_seconds << " s, force field " << times.optimize_seconds << " s";
  if (times.xtb_seconds > 0) out << ", GFN2-xTB " << times.xtb_seconds << " s";
  out << "; the network " << predict_seconds << " s; " << total_seconds << " s in all, reading the run included ("
      << std::setprecision(1) << times.structures / total_seconds << " molecules/s)\n";
}

}  // namespace

int run_predict(const Arguments& args) {
  ArgParser parser("e3cpp predict",
                   "Predicts the targets of a run (its best model) for every molecule of each FILE: original QM9\n"
                   "files, extended XYZ (plain or .gz), plain XYZ without properties, directories or archives;\n"
                   "SMILES (.smi, .smiles), CSV with a SMILES column (.csv) and SDF/MOL (.sdf, .sd, .mol), plain\n"
                   "or .gz, whose molecules without 3D coordinates are embedded by RDKit (ETKDG, then MMFF94, or\n"
                   "UFF where MMFF94 lacks parameters; the geometry column says which).\n"
                   "Prints one column per target and a flags column: why a molecule is outside the training\n"
                   "domain (coincident_atoms: two atoms closer than 0.5 A; more_atoms: more atoms than any\n"
                   "training molecule; unseen_element: an element no training molecule has; charged: a total\n"
                   "charge no training molecule has), or why a record gave no molecule (bad_smiles, bad_structure,\n"
                   "embedding_failed: its values are '-'), '-' when inside. Flagged values are extrapolations; a\n"
                   "summary goes to standard error. Files are read as they are predicted (1,024 molecules at a\n"
                   "time), so memory does not grow with their size.\n"
                   "A target learnt with the dipole readout also gets its dipole vector's components in the\n"
                   "input file's frame (columns mu_x, mu_y, mu_z [D]; JSON: vectors {name: [x, y, z]}).\n"
                   "With --conformers K (K > 1) each structure's K conformers are averaged: a column <target>_std\n"
                   "(their standard deviation) per target and a conformers column, no vectors; --all-conformers\n"
                   "prints each conformer (<molecule>:<k>) instead.");
  parser.positional("RUN", "a run directory made by e3cpp train")
      .positional("FILE", "molecules to predict", /*required=*/true, /*variadic=*/true)
      .option("checkpoint", "WHICH", "best (the best validation) or last (the last state saved)", std::string("best"))
      .flag("all-conformers", "one row per conformer instead of their average (with --conformers K)")
      .flag("json",
            "print one JSON object: one target: target, unit, predictions [{file, molecule, value, flags}];\n"
            "several: targets [names], units {name: unit}, predictions [{file, molecule, values {name: value},\n"
            "flags}]; flags is an array of the words above; a dipole readout's vector: vectors {name: [x, y, z]};\n"
            "SMILES/SDF input: geometry; averaged conformers: std (like value or values) and conformers;\n"
            "a record that gave no molecule: null values");
  add_threads_option(parser);
  add_read_options(parser);
  const auto parsed = parser.parse(args);
  train::RunCheckpoint checkpoint;
  try {
    checkpoint = train::run_checkpoint_from_string(parsed.value("checkpoint"));
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }
  apply_threads_option(parsed);
  const auto options = read_options(parsed);
  const auto start = Clock::now();
  auto run = train::TrainedRun::open(parsed.positional("RUN")[0], checkpoint);
  const auto& files = parsed.positional("FILE");

  PredictionColumns columns;
  columns.targets = run.targets();
  for (size_t t = 0; t < columns.targets.size(); ++t) columns.dipole.push_back(run.has_dipole(t));
  for (const auto& file : files) columns.geometry = columns.geometry || data::find_molecule_format(file) != nullptr;
  columns.conformer_spread = options.conformers > 1 && !parsed.flag("all-conformers");
  PredictionTable table(columns, parsed.flag("json"), std::cout);

  DomainReport domain_report(run.domain());
  SkipReport skip_report;
  ConformerAverage average;
  double predict_seconds = 0;
  const auto flush_average = [&] {
    if (!average.empty()) table.write(average.take());
  };
  const auto write_skipped = [&](const data::SkippedMolecule& record, const std::string& file) {
    flush_average();
    skip_report.add(record);
    PredictionRow row;
    row.file = file;
    row.molecule = record.id;
    row.flags = {record.reason};
    table.write(row);
  };
  for (const auto& file : files) {
    data::MoleculeStream stream(file, options);
    int64_t given = 0;  // molecules of the file predicted so far
    while (true) {
      auto window = read_window(stream);
      const bool end = window.empty();  // the stream gave its last molecule
      const auto skipped = stream.take_skipped();
      size_t next_skipped = 0;
      if (!end) {
        const data::Dataset dataset(std::move(window));
        const auto predict_start = Clock::now();
        const auto predictions = run.predict_with_dipoles(dataset, dataset.all_indices());
        predict_seconds += seconds_since(predict_start);
        for (size_t i = 0; i < dataset.size(); ++i) {
          while (next_skipped < skipped.size() && skipped[next_skipped].before <= given + static_cast<int64_t>(i)) {
            write_skipped(skipped[next_skipped++], file);
          }
          const data::Molecule& molecule = dataset[i];
          PredictionRow row;
          row.file = file;
          row.molecule = molecule.id;
          row.values.emplace();
          for (size_t t = 0; t < columns.targets.size(); ++t) {
            row.values->push_back(predictions.values[t][i]);
            if (columns.dipole[t]) row.vectors.push_back(predictions.dipoles[t][i]);
          }
          row.geometry = molecule.geometry.empty() ? "file" : molecule.geometry;
          row.flags = domain_report.check(molecule);
          if (columns.conformer_spread && molecule.conformer >= 0) {
            if (!average.same_structure(molecule)) flush_average();
            average.add(row, molecule);
          } else {
            flush_average();
            table.write(row);
          }
        }
        given += static_cast<int64_t>(dataset.size());
      }
      while (next_skipped < skipped.size()) write_skipped(skipped[next_skipped++], file);
      if (end) break;
    }
    flush_average();
  }
  table.finish();
  domain_report.summarize(parsed.positional("RUN")[0], std::cerr);
  skip_report.summarize(std::cerr);
  report_structure_times(predict_seconds, seconds_since(start), std::cerr);
  return 0;
}

}  // namespace e3::cli
