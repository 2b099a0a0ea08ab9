// e3cpp dataset: what a data source holds — molecules, atoms, elements, target statistics.

#include "e3/data/dataset.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "args.h"
#include "commands.h"
#include "e3/data/elements.h"
#include "e3/data/summary.h"
#include "read_options.h"

namespace e3::cli {
namespace {

std::string fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

nlohmann::json to_json(const data::DatasetSummary& summary) {
  nlohmann::json elements = nlohmann::json::object();
  for (const auto& [z, count] : summary.element_counts) elements[data::element_symbol(z)] = count;
  nlohmann::json targets = nlohmann::json::object();
  for (data::Target target : data::all_targets()) {
    const auto& stats = summary.targets[data::target_index(target)];
    targets[data::target_name(target)] = {{"unit", data::thesis_unit(target)},
                                          {"count", stats.count},
                                          {"mean", stats.count ? nlohmann::json(stats.mean) : nlohmann::json()},
                                          {"std", stats.count ? nlohmann::json(stats.std) : nlohmann::json()}};
  }
  return {{"molecules", summary.molecules},
          {"atoms_mean", summary.atoms_mean},
          {"atoms_max", summary.atoms_max},
          {"elements", elements},
          {"targets", targets}};
}

void print_text(const std::string& path, const data::DatasetSummary& summary) {
  std::cout << "data:       " << path << "\n"
            << "molecules:  " << summary.molecules << "\n"
            << "atoms:      mean " << fixed(summary.atoms_mean, 2) << ", max " << summary.atoms_max << " per molecule\n"
            << "elements:  ";
  for (const auto& [z, count] : summary.element_counts) std::cout << " " << data::element_symbol(z) << " " << count;
  std::cout << " (atoms)\n"
            << "targets (thesis units, Table 2.1; over the molecules that have them):\n";
  for (data::Target target : data::all_targets()) {
    const auto& stats = summary.targets[data::target_index(target)];
    std::string name = data::target_name(target), unit = data::thesis_unit(target);
    name.resize(7, ' ');
    unit.resize(13, ' ');
    std::cout << "  " << name << unit;
    if (stats.count == 0) {
      std::cout << "absent\n";
      continue;
    }
    std::cout << "mean " << fixed(stats.mean, 6) << "  std " << fixed(stats.std, 6);
    if (static_cast<size_t>(stats.count) != summary.molecules) std::cout << "  (" << stats.count << " molecules)";
    std::cout << "\n";
  }
}

}  // namespace

int run_dataset(const Arguments& args) {
  ArgParser parser("e3cpp dataset",
                   "Reads molecules from any supported source and describes them: number of molecules, atoms per\n"
                   "molecule, element counts, and the mean and standard deviation of every QM9 target in the\n"
                   "thesis' units (Table 2.1).");
  parser
      .positional("DATA",
                  "(extended) XYZ, plain or .gz; an original QM9 file; a directory; a .tar.bz2; SMILES, CSV or SDF")
      .flag("json", "print one JSON object (molecules, atoms_mean, atoms_max, elements, targets)")
      .epilog("example: e3cpp dataset data/qm9-sample/qm9-sample.extxyz.gz --json");
  add_read_options(parser);
  const auto parsed = parser.parse(args);
  const std::string path = parsed.positional("DATA")[0];
  const auto summary = data::summarize(data::Dataset::read(path, read_options(parsed)));
  if (parsed.flag("json")) {
    std::cout << to_json(summary).dump() << "\n";
  } else {
    print_text(path, summary);
  }
  return 0;
}

}  // namespace e3::cli
