// e3cpp predict: a trained run's targets for the molecules of XYZ, SMILES, CSV or SDF files.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <exception>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>
#include <tuple>
#include <utility>

#include "args.h"
#include "commands.h"
#include "e3/chem/structure.h"
#include "e3/data/dataset.h"
#include "e3/data/molecule_formats.h"
#include "e3/data/molecule_stream.h"
#include "e3/data/numbers.h"
#include "e3/data/targets.h"
#include "e3/train/model_builder.h"
#include "e3/train/prediction.h"
#include "e3/train/trained_run.h"
#include "e3/train/training_domain.h"
#include "e3/perf/machine.h"
#include "prediction_reports.h"
#include "prediction_table.h"
#include "precision_option.h"
#include "read_options.h"
#include "sharded_prediction.h"
#include "shipped_models.h"
#include "threads_option.h"

namespace e3::cli {
namespace {

// `molecule`'s id without the ":K" that tells its conformers apart.
std::string structure_id(const data::Molecule& molecule) {
  const std::string suffix = ":" + std::to_string(molecule.conformer);
  const std::string& id = molecule.id;
  if (molecule.conformer < 0 || id.size() <= suffix.size() || id.compare(id.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return id;
  }
  return id.substr(0, id.size() - suffix.size());
}

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
      row_.molecule = structure_id(molecule);
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

// Up to kWindow next molecules of a stream, and the error that stopped the reading early (bad
// content), so that the molecules before it are still predicted and written.
struct Window {
  std::vector<data::Molecule> molecules;
  std::exception_ptr error;
};

Window read_window(data::MoleculeStream& stream) {
  Window window;
  try {
    while (window.molecules.size() < kWindow) {
      auto molecule = stream.next();
      if (!molecule) break;
      window.molecules.push_back(std::move(*molecule));
    }
  } catch (const std::exception&) {
    window.error = std::current_exception();
  }
  return window;
}

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// "I/N" of --shard as (I, N); a UsageError unless 0 <= I < N.
std::pair<int64_t, int64_t> parse_shard(const std::string& text) {
  const size_t slash = text.find('/');
  size_t index_end = 0, count_end = 0;
  long long index = -1, count = 0;
  try {
    if (slash != std::string::npos) {
      index = std::stoll(text.substr(0, slash), &index_end);
      count = std::stoll(text.substr(slash + 1), &count_end);
    }
  } catch (const std::exception&) {
    index = -1;
  }
  if (slash == std::string::npos || index_end != slash || count_end != text.size() - slash - 1 || index < 0 ||
      count < 1 || index >= count) {
    throw UsageError("--shard must be I/N with 0 <= I < N (e.g. 0/4), not '" + text + "'");
  }
  return {index, count};
}

// --flag-uncertain: per target, the standard deviation of an ensemble's members above which a
// prediction is flagged `uncertain` (none: never). "X" for a run of one target, or
// "NAME=X,...". A UsageError naming the problem.
std::vector<std::optional<double>> uncertainty_thresholds(const std::string& text,
                                                          const std::vector<data::Target>& targets) {
  std::vector<std::optional<double>> thresholds(targets.size());
  const auto threshold = [&](std::string_view value) {
    const auto number = data::parse_real(value);
    if (!number || !std::isfinite(*number) || *number < 0) {
      throw UsageError("--flag-uncertain: '" + std::string(value) + "' is not a standard deviation (a number >= 0)");
    }
    return *number;
  };
  if (text.find('=') == std::string::npos) {
    if (targets.size() != 1) {
      throw UsageError("--flag-uncertain X gives one threshold for a run of one target; name the targets, e.g. "
                       "--flag-uncertain mu=0.1,U0=0.05 (in each target's unit)");
    }
    thresholds[0] = threshold(text);
    return thresholds;
  }
  std::istringstream entries(text);
  for (std::string entry; std::getline(entries, entry, ',');) {
    const size_t equals = entry.find('=');
    const auto target = equals == std::string::npos ? std::nullopt : data::find_target(entry.substr(0, equals));
    const auto found = target ? std::find(targets.begin(), targets.end(), *target) : targets.end();
    if (found == targets.end()) {
      throw UsageError("--flag-uncertain: '" + entry + "' is not NAME=X with NAME a target of the run");
    }
    thresholds[static_cast<size_t>(found - targets.begin())] = threshold(std::string_view(entry).substr(equals + 1));
  }
  return thresholds;
}

}  // namespace

int run_predict(const Arguments& args) {
  ArgParser parser("e3cpp predict",
                   "Predicts the targets of a run (its best model), or of a model that comes with e3cpp (--model),\n"
                   "for every molecule of each FILE: original QM9\n"
                   "files, extended XYZ (plain or .gz), plain XYZ without properties, directories or archives;\n"
                   "SMILES (.smi, .smiles), CSV with a SMILES column (.csv) and SDF/MOL (.sdf, .sd, .mol), plain\n"
                   "or .gz, whose molecules without 3D coordinates are embedded by RDKit (ETKDG, then MMFF94, or\n"
                   "UFF where MMFF94 lacks parameters; the geometry column says which).\n"
                   "Prints one column per target and a flags column: why a molecule is outside the training\n"
                   "domain (coincident_atoms: two atoms closer than 0.5 A; more_atoms: more atoms than any\n"
                   "training molecule; unseen_element: an element no training molecule has; charged: a total\n"
                   "charge no training molecule has), or why a record was not predicted (bad_smiles, bad_structure,\n"
                   "embedding_failed; unknown_element: an element the model does not embed; its values are '-'),\n"
                   "'-' when inside. Flagged values are extrapolations; a summary goes to standard error. Files are\n"
                   "read as they are predicted (1,024 molecules at a time), so memory does not grow with their\n"
                   "size. Bad content ends the output where it is (JSON: a complete document) and exits 1.\n"
                   "A target learnt with the dipole readout also gets its dipole vector's components in the\n"
                   "input file's frame (columns mu_x, mu_y, mu_z [D]; JSON: vectors {name: [x, y, z]}).\n"
                   "With --conformers K (K > 1) each structure's K conformers are averaged: a column <target>_std\n"
                   "(their standard deviation) per target and a conformers column, no vectors; --all-conformers\n"
                   "prints each conformer (<molecule>:<k>) instead.\n"
                   "An ensemble (e3cpp train --ensemble K) predicts its members' mean, with their standard\n"
                   "deviation per target (<target>_std; JSON std); --flag-uncertain X flags where it exceeds X.");
  parser.positional("RUN", "a run directory made by e3cpp train (with --model: the first FILE)")
      .positional("FILE", "molecules to predict", /*required=*/false, /*variadic=*/true)
      .option("model", "NAME", "predict with a model that comes with e3cpp (e3cpp models lists them), not a RUN")
      .option("checkpoint", "WHICH", "best (the best validation) or last (the last state saved)", std::string("best"))
      .option("shard", "I/N",
              "predict one shard of the input: the records r (from 0, per FILE; records that give no molecule\n"
              "count) with r mod N = I. N runs with I = 0..N-1 predict every record once; SMILES and SDF\n"
              "records of other shards are not even embedded")
      .option("nproc", "P",
              "predict with P processes on this machine, each a shard (--shard I/P) with its share of the\n"
              "threads (or --threads each), merged into one output in input order")
      .option("flag-uncertain", "X",
              "an ensemble's prediction whose members' standard deviation exceeds X (in the target's unit;\n"
              "several targets: NAME=X,...) gets the flag uncertain")
      .hidden_flag(kShardLinesFlag)
      .flag("all-conformers", "one row per conformer instead of their average (with --conformers K)")
      .flag("json",
            "print one JSON object: one target: target, unit, predictions [{file, molecule, value, flags}];\n"
            "several: targets [names], units {name: unit}, predictions [{file, molecule, values {name: value},\n"
            "flags}]; flags is an array of the words above; a dipole readout's vector: vectors {name: [x, y, z]};\n"
            "SMILES/SDF input: geometry; averaged conformers: std (like value or values) and conformers; an\n"
            "ensemble: std;\n"
            "a record that was not predicted: null values");
  add_threads_option(parser);
  add_precision_option(parser);
  add_read_options(parser);
  const auto parsed = parser.parse(args);
  train::RunCheckpoint checkpoint;
  try {
    checkpoint = train::run_checkpoint_from_string(parsed.value("checkpoint"));
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }
  apply_threads_option(parsed);
  auto options = read_options(parsed);
  if (parsed.given("shard")) std::tie(options.shard_index, options.shard_count) = parse_shard(parsed.value("shard"));
  std::vector<std::string> files = parsed.positional("FILE");
  std::string run_path = parsed.positional("RUN")[0];
  if (parsed.given("model")) {
    files.insert(files.begin(), run_path);
    run_path = shipped_model_path(parsed.value("model"));
  } else if (files.empty()) {
    throw UsageError("no FILE to predict (e3cpp predict RUN FILE..., or e3cpp predict --model NAME FILE...)");
  }
  const auto start = Clock::now();
  auto run = train::TrainedRun::open(run_path, checkpoint, precision_option(parsed));
  if (const auto notice = train::precision_notice(run.config()); !notice.empty()) std::cerr << "note: " << notice << "\n";

  PredictionColumns columns;
  columns.targets = run.targets();
  for (size_t t = 0; t < columns.targets.size(); ++t) columns.dipole.push_back(run.has_dipole(t));
  for (const auto& file : files) columns.geometry = columns.geometry || data::find_molecule_format(file) != nullptr;
  columns.conformer_spread = options.conformers > 1 && !parsed.flag("all-conformers");
  columns.ensemble_spread = run.members() > 1;
  if (columns.conformer_spread && columns.ensemble_spread) {
    throw UsageError("an ensemble's rows have its members' standard deviation: with --conformers K, give "
                     "--all-conformers (a row per conformer)");
  }
  std::vector<std::optional<double>> uncertain(columns.targets.size());
  if (parsed.given("flag-uncertain")) {
    if (!columns.ensemble_spread) {
      throw UsageError("--flag-uncertain needs an ensemble (e3cpp train --ensemble K): " + run_path + " is one model");
    }
    uncertain = uncertainty_thresholds(parsed.value("flag-uncertain"), columns.targets);
  }
  const bool json = parsed.flag("json");
  if (parsed.given("nproc")) {
    if (parsed.given("shard")) throw UsageError("--nproc predicts every shard itself; --shard is for one process");
    const long long nproc = parsed.integer("nproc");
    if (nproc < 1) throw UsageError("--nproc must be at least 1");
    const int threads = parsed.given("threads") ? static_cast<int>(parsed.integer("threads"))
                                                : std::max(1, perf::available_cpus() / static_cast<int>(nproc));
    PredictionTable table(columns, json ? TableFormat::json : TableFormat::text, std::cout);
    const auto result = predict_in_processes({args, static_cast<int>(nproc), threads, files}, table);
    summarize_prediction(result.counts, run.domain(), run_path, seconds_since(start), std::cerr);
    if (!result.failure.empty()) throw std::runtime_error(result.failure);
    return 0;
  }
  const bool shard_lines = parsed.flag(kShardLinesFlag);
  PredictionTable table(columns,
                        shard_lines ? (json ? TableFormat::json_shards : TableFormat::text_shards)
                                    : (json ? TableFormat::json : TableFormat::text),
                        std::cout);

  PredictionCounts counts;
  DomainReport domain_report(run.domain(), counts);
  ConformerAverage average;
  const auto flush_average = [&] {
    if (!average.empty()) table.write(average.take());
  };
  const auto write_skipped = [&](const data::SkippedMolecule& record, const std::string& file, int64_t file_index) {
    flush_average();
    report_skipped(record, counts);
    PredictionRow row;
    row.file = file;
    row.molecule = record.id;
    row.flags = {record.reason};
    row.file_index = file_index;
    row.record = record.record;
    table.write(row);
  };
  // A molecule with an element the model does not know gets a row without values, like a record
  // that gave no molecule (one row per structure when its conformers are averaged).
  const auto write_unknown_element = [&](const data::Molecule& molecule, int64_t element, const std::string& file,
                                         int64_t file_index) {
    if (columns.conformer_spread && molecule.conformer > 0) return;
    write_skipped(data::SkippedMolecule{molecule.source_file, molecule.source_line,
                                        columns.conformer_spread ? structure_id(molecule) : molecule.id, "unknown_element",
                                        train::describe_unknown_element(run.model(), element), 0, molecule.record},
                  file, file_index);
  };
  const auto predict_file = [&](const std::string& file, int64_t file_index) {
    data::MoleculeStream stream(file, options);
    int64_t given = 0;  // molecules of the file read so far
    while (true) {
      auto window = read_window(stream);
      const bool end = window.molecules.empty() && !window.error;  // the stream gave its last molecule
      const auto skipped = stream.take_skipped();
      size_t next_skipped = 0;
      const data::Dataset dataset(std::move(window.molecules));
      std::vector<int64_t> unknown(dataset.size());  // per molecule: an element the model does not know, or 0
      std::vector<size_t> known;
      for (size_t i = 0; i < dataset.size(); ++i) {
        unknown[i] = train::first_unknown_element(run.model(), dataset[i]);
        if (!unknown[i]) known.push_back(i);
      }
      const auto predict_start = Clock::now();
      const auto predictions = run.predict_with_dipoles(dataset, known);
      counts.predict_seconds += seconds_since(predict_start);
      size_t next_known = 0;
      for (size_t i = 0; i < dataset.size(); ++i) {
        while (next_skipped < skipped.size() && skipped[next_skipped].before <= given + static_cast<int64_t>(i)) {
          write_skipped(skipped[next_skipped++], file, file_index);
        }
        const data::Molecule& molecule = dataset[i];
        if (unknown[i]) {
          write_unknown_element(molecule, unknown[i], file, file_index);
          continue;
        }
        const size_t k = next_known++;
        PredictionRow row;
        row.file = file;
        row.molecule = molecule.id;
        row.values.emplace();
        bool beyond = false;  // a standard deviation above its --flag-uncertain threshold
        for (size_t t = 0; t < columns.targets.size(); ++t) {
          row.values->push_back(predictions.values[t][k]);
          if (columns.dipole[t]) row.vectors.push_back(predictions.dipoles[t][k]);
          if (columns.ensemble_spread) {
            row.spread.push_back(predictions.spread[t][k]);
            beyond = beyond || (uncertain[t] && predictions.spread[t][k] > *uncertain[t]);
          }
        }
        row.geometry = molecule.geometry.empty() ? "file" : molecule.geometry;
        row.flags = domain_report.check(molecule);
        if (beyond) {
          row.flags.push_back("uncertain");
          ++counts.uncertain;
        }
        row.file_index = file_index;
        row.record = molecule.record;
        if (columns.conformer_spread && molecule.conformer >= 0) {
          if (!average.same_structure(molecule)) flush_average();
          average.add(row, molecule);
        } else {
          flush_average();
          table.write(row);
        }
      }
      given += static_cast<int64_t>(dataset.size());
      while (next_skipped < skipped.size()) write_skipped(skipped[next_skipped++], file, file_index);
      if (window.error) std::rethrow_exception(window.error);
      if (end) break;
    }
    flush_average();
  };
  // The end of the output: the table closed, and the counts summarized (on standard error) or,
  // for the process that merges shards, written as the last shard line.
  const auto finish = [&] {
    flush_average();
    table.finish();
    counts.times = chem::embedding_times();
    if (shard_lines) {
      write_shard_counts(counts, std::cout);
    } else {
      summarize_prediction(counts, run.domain(), run_path, seconds_since(start), std::cerr);
    }
  };
  try {
    for (size_t f = 0; f < files.size(); ++f) predict_file(files[f], static_cast<int64_t>(f));
  } catch (const std::exception&) {
    // What was predicted stays a complete table (a JSON document that parses); the error follows.
    finish();
    throw;
  }
  finish();
  return 0;
}

}  // namespace e3::cli
