// e3cpp predict: a trained run's targets for the molecules of xyz files.

#include <nlohmann/json.hpp>

#include <array>
#include <iomanip>
#include <optional>
#include <iostream>

#include "args.h"
#include "commands.h"
#include "e3/data/dataset.h"
#include "e3/data/molecule_stream.h"
#include "e3/train/trained_run.h"
#include "e3/train/training_domain.h"
#include "threads_option.h"

namespace e3::cli {
namespace {

// The flags column: the flag words joined by commas, '-' for none.
std::string flags_text(const std::vector<train::DomainFlag>& flags) {
  std::string text;
  for (auto flag : flags) text += (text.empty() ? "" : ",") + std::string(train::domain_flag_name(flag));
  return text.empty() ? "-" : text;
}

// The molecules predict flags: a warning naming the file and line of the first few, and a count
// of each flag at the end, on standard error, so that the values on standard output stay a table.
class DomainReport {
 public:
  explicit DomainReport(const std::optional<train::TrainingDomain>& domain) : domain_(domain) {}

  std::vector<train::DomainFlag> check(const data::Molecule& molecule) {
    ++molecules_;
    auto flags = train::domain_flags(molecule, domain_);
    if (flags.empty()) return flags;
    ++flagged_;
    for (auto flag : flags) ++counts_[static_cast<size_t>(flag)];
    if (flagged_ <= kWarnings) {
      std::cerr << "warning: " << molecule.source_file << ':' << molecule.source_line << ": molecule " << molecule.id
                << " is outside the training domain:";
      for (size_t f = 0; f < flags.size(); ++f) {
        std::cerr << (f ? ";" : "") << ' ' << train::domain_flag_name(flags[f]) << " ("
                  << train::describe_domain_flag(flags[f], molecule, domain_) << ')';
      }
      std::cerr << '\n';
    }
    return flags;
  }

  void summarize(const std::string& run, std::ostream& out) const {
    if (!domain_) {
      out << "note: " << run << " has no domain.json (it was trained before e3cpp recorded its training domain): "
          << "only coincident atoms are flagged\n";
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
  static constexpr int64_t kWarnings = 10;
  const std::optional<train::TrainingDomain>& domain_;
  int64_t molecules_ = 0, flagged_ = 0;
  std::array<int64_t, 3> counts_{};
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

}  // namespace

int run_predict(const Arguments& args) {
  ArgParser parser("e3cpp predict",
                   "Predicts the targets of a run (its best model) for every molecule of each FILE: original QM9\n"
                   "files, extended XYZ (plain or .gz), plain XYZ without properties, directories or archives.\n"
                   "Prints one column per target and a flags column: why a molecule is outside the training\n"
                   "domain (coincident_atoms: two atoms closer than 0.5 A; more_atoms: more atoms than any\n"
                   "training molecule; unseen_element: an element no training molecule has), '-' when inside.\n"
                   "Flagged values are extrapolations; a summary goes to standard error. Files are read as they\n"
                   "are predicted (1,024 molecules at a time), so memory does not grow with their size.\n"
                   "A target learnt with the dipole readout also gets its dipole vector's components in the\n"
                   "input file's frame (columns mu_x, mu_y, mu_z [D]; JSON: vectors {name: [x, y, z]}).");
  parser.positional("RUN", "a run directory made by e3cpp train")
      .positional("FILE", "molecules to predict", /*required=*/true, /*variadic=*/true)
      .option("checkpoint", "WHICH", "best (the best validation) or last (the last state saved)", std::string("best"))
      .flag("json",
            "print one JSON object: one target: target, unit, predictions [{file, molecule, value, flags}];\n"
            "several: targets [names], units {name: unit}, predictions [{file, molecule, values {name: value},\n"
            "flags}]; flags is an array of the words above; a dipole readout's vector: vectors {name: [x, y, z]}");
  add_threads_option(parser);
  const auto parsed = parser.parse(args);
  train::RunCheckpoint checkpoint;
  try {
    checkpoint = train::run_checkpoint_from_string(parsed.value("checkpoint"));
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }
  apply_threads_option(parsed);
  auto run = train::TrainedRun::open(parsed.positional("RUN")[0], checkpoint);
  const auto& targets = run.targets();
  const bool json = parsed.flag("json"), single = targets.size() == 1;

  // Both outputs are written as the molecules are read, so that memory stays that of one
  // window of molecules whatever the size of the input (the JSON object too: its predictions
  // array is written entry by entry).
  if (json) {
    nlohmann::json head;
    if (single) {
      head = {{"target", data::target_name(targets[0])}, {"unit", data::thesis_unit(targets[0])}};
    } else {
      head["targets"] = nlohmann::json::array();
      head["units"] = nlohmann::json::object();
      for (auto target : targets) {
        head["targets"].push_back(data::target_name(target));
        head["units"][data::target_name(target)] = data::thesis_unit(target);
      }
    }
    const std::string text = head.dump();
    std::cout << text.substr(0, text.size() - 1) << ",\"predictions\":[";
  } else {
    std::cout << "file\tmolecule";
    for (size_t t = 0; t < targets.size(); ++t) {
      const std::string name = data::target_name(targets[t]), unit = data::thesis_unit(targets[t]);
      std::cout << '\t' << name << " [" << unit << ']';
      if (run.has_dipole(t)) {
        for (const char* axis : {"_x", "_y", "_z"}) std::cout << '\t' << name << axis << " [" << unit << ']';
      }
    }
    // Fixed decimals: total energies of ~1e4 eV still show meV and below.
    std::cout << "\tflags\n" << std::fixed << std::setprecision(6);
  }
  DomainReport domain_report(run.domain());
  bool first = true;
  for (const auto& file : parsed.positional("FILE")) {
    data::MoleculeStream stream(file);
    for (auto window = read_window(stream); !window.empty(); window = read_window(stream)) {
      const data::Dataset dataset(std::move(window));
      const auto predictions = run.predict_with_dipoles(dataset, dataset.all_indices());
      const auto& values = predictions.values;
      for (size_t i = 0; i < dataset.size(); ++i) {
        const auto flags = domain_report.check(dataset[i]);
        if (json) {
          nlohmann::json entry = {{"file", file}, {"molecule", dataset[i].id}};
          if (single) {
            entry["value"] = values[0][i];
          } else {
            entry["values"] = nlohmann::json::object();
            for (size_t t = 0; t < targets.size(); ++t) entry["values"][data::target_name(targets[t])] = values[t][i];
          }
          for (size_t t = 0; t < targets.size(); ++t) {
            if (!run.has_dipole(t)) continue;
            const auto& v = predictions.dipoles[t][i];
            entry["vectors"][data::target_name(targets[t])] = {v[0], v[1], v[2]};
          }
          entry["flags"] = nlohmann::json::array();
          for (auto flag : flags) entry["flags"].push_back(train::domain_flag_name(flag));
          std::cout << (first ? "" : ",") << entry.dump();
        } else {
          std::cout << file << '\t' << dataset[i].id;
          for (size_t t = 0; t < targets.size(); ++t) {
            std::cout << '\t' << values[t][i];
            if (run.has_dipole(t)) {
              for (double component : predictions.dipoles[t][i]) std::cout << '\t' << component;
            }
          }
          std::cout << '\t' << flags_text(flags) << '\n';
        }
        first = false;
      }
    }
  }
  if (json) std::cout << "]}\n";
  std::cout << std::flush;
  domain_report.summarize(parsed.positional("RUN")[0], std::cerr);
  return 0;
}

}  // namespace e3::cli
