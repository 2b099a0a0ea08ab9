// Benchmark (not a test): what RDKit's force-field geometries cost a model trained on QM9's DFT
// geometries, and how fast SMILES become predictions.
//
//   bench_smiles_geometry RUN [--data DATA] [--molecules N] [--conformers 1,4] [--xtb M] [--threads T]
//
// Takes the first N molecules of RUN's test split (over DATA, by default the run's data) that
// carry a SMILES (extended XYZ's smiles=) whose structure has the same atoms as the QM9
// geometry, and predicts every target of RUN from the QM9 geometry (B3LYP minimum) and from
// RDKit's (ETKDG + MMFF94: the mean prediction over K conformers for each K of --conformers, and
// for K > 1 also the prediction of the conformer of lowest force-field energy), on the same
// molecules: the MAE of each in the thesis' units. Then where the time of SMILES ->
// prediction went for the first K: RDKit parsing, ETKDG embedding, force field, the network.
// With --xtb M, the first M molecules also with the force field's geometry refined by GFN2-xTB,
// and with QM9's own geometry optimized by GFN2-xTB (the same conformer, another method's minimum).

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "args.h"
#include "e3/chem/structure.h"
#include "e3/chem/xtb.h"
#include "e3/data/dataset.h"
#include "e3/perf/machine.h"
#include "e3/train/trained_run.h"
#include "timing.h"

namespace {

using e3::bench::Clock;
using e3::bench::seconds_since;

// The sorted atomic numbers: the atoms of a structure, whatever their order.
std::vector<int64_t> sorted_atoms(std::vector<int64_t> atoms) {
  std::sort(atoms.begin(), atoms.end());
  return atoms;
}

std::vector<int64_t> parse_counts(const std::string& text) {
  std::vector<int64_t> counts;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) {
    const int64_t count = std::stoll(item);
    if (count < 1) throw std::invalid_argument("--conformers: counts must be at least 1");
    counts.push_back(count);
  }
  if (counts.empty()) throw std::invalid_argument("--conformers: give at least one count");
  return counts;
}

// The structures of one molecule for each conformer count.
struct Embedded {
  size_t index;  // in the QM9 dataset
  std::vector<e3::chem::Structure> structures;
};

}  // namespace

int main(int argc, char** argv) {
  std::string run_path, data_path;
  int64_t molecules = 1000, threads = 2, xtb_molecules = 0;
  std::vector<int64_t> conformer_counts = {1, 4};
  e3::cli::ArgParser parser("bench_smiles_geometry",
                            "A model's error from RDKit geometries (SMILES) against QM9's, on the same test molecules,\n"
                            "and the time SMILES -> prediction takes.");
  parser.positional("RUN", "a run directory made by e3cpp train on QM9")
      .option("data", "DATA", "QM9 extended XYZ with smiles= (default: the run's data)")
      .option("molecules", "N", "test molecules to compare", "1000")
      .option("conformers", "K,...", "conformer counts; each row predicts the mean over K conformers", "1,4")
      .option("xtb", "M", "also optimize the first M molecules' first conformer with GFN2-xTB (the xtb program)", "0")
      .option("threads", "T", "LibTorch threads", "2");
  e3::cli::parse_program_arguments(parser, argc, argv, [&](const e3::cli::ParsedArgs& args) {
    run_path = args.positional("RUN").front();
    if (args.given("data")) data_path = args.value("data");
    molecules = args.integer("molecules");
    threads = args.integer("threads");
    xtb_molecules = args.integer("xtb");
    conformer_counts = parse_counts(args.value("conformers"));
  });
  torch::set_num_threads(static_cast<int>(threads));

  auto run = e3::train::TrainedRun::open(run_path);
  if (data_path.empty()) data_path = run.config().string("data");
  const auto dataset = e3::data::Dataset::read(data_path);
  const auto test = run.split(dataset).test;
  const auto& targets = run.targets();

  // The molecules: the first N test molecules with a SMILES that RDKit embeds for every K
  // into the QM9 molecule's atoms.
  std::vector<Embedded> embedded;
  int64_t no_smiles = 0, failed = 0, other_atoms = 0;
  std::map<std::string, int64_t> force_fields;
  // Where the time of the first count's structures went (wall time, and RDKit's parts).
  double first_k_seconds = 0, parse = 0, embed = 0, optimize = 0;
  for (size_t index : test) {
    if (static_cast<int64_t>(embedded.size()) == molecules) break;
    const auto& molecule = dataset[index];
    if (molecule.smiles.empty()) {
      ++no_smiles;
      continue;
    }
    Embedded entry{index, {}};
    try {
      for (size_t k = 0; k < conformer_counts.size(); ++k) {
        const auto before = e3::chem::embedding_times();
        const auto start = Clock::now();
        entry.structures.push_back(e3::chem::structure_from_smiles(molecule.smiles, {conformer_counts[k], 42}));
        if (k > 0) continue;
        first_k_seconds += seconds_since(start);
        const auto after = e3::chem::embedding_times();
        parse += after.parse_seconds - before.parse_seconds;
        embed += after.embed_seconds - before.embed_seconds;
        optimize += after.optimize_seconds - before.optimize_seconds;
      }
    } catch (const e3::chem::StructureError&) {
      ++failed;
      continue;
    }
    if (sorted_atoms(entry.structures[0].atomic_numbers) != sorted_atoms(molecule.atomic_numbers)) {
      ++other_atoms;
      continue;
    }
    ++force_fields[entry.structures[0].geometry];
    embedded.push_back(std::move(entry));
  }
  if (embedded.empty()) {
    std::fprintf(stderr, "bench_smiles_geometry: no test molecule of %s has a usable SMILES\n", data_path.c_str());
    return 1;
  }

  // Predictions from the QM9 geometries.
  std::vector<size_t> indices;
  for (const auto& entry : embedded) indices.push_back(entry.index);
  const auto qm9 = run.predict(dataset, indices);

  // The mean prediction over each molecule's conformers, for the first `count` molecules.
  double first_k_network_seconds = 0;
  const auto conformer_means = [&](const std::vector<const e3::chem::Structure*>& structures, double* seconds) {
    std::vector<e3::data::Molecule> conformers;
    std::vector<size_t> owner;
    for (size_t i = 0; i < structures.size(); ++i) {
      for (size_t c = 0; c < structures[i]->conformers.size(); ++c) {
        e3::data::Molecule molecule;
        molecule.id = dataset[embedded[i].index].id + ":" + std::to_string(c);
        molecule.atomic_numbers = structures[i]->atomic_numbers;
        molecule.positions = structures[i]->conformers[c];
        conformers.push_back(std::move(molecule));
        owner.push_back(i);
      }
    }
    const e3::data::Dataset conformer_set(std::move(conformers));
    const auto start = Clock::now();
    const auto predicted = run.predict(conformer_set, conformer_set.all_indices());
    if (seconds) *seconds = seconds_since(start);
    std::vector<std::vector<double>> mean(targets.size(), std::vector<double>(structures.size(), 0.0));
    std::vector<double> count(structures.size(), 0.0);
    for (size_t c = 0; c < owner.size(); ++c) {
      for (size_t t = 0; t < targets.size(); ++t) mean[t][owner[c]] += predicted[t][c];
      count[owner[c]] += 1;
    }
    for (auto& values : mean) {
      for (size_t i = 0; i < values.size(); ++i) values[i] /= count[i];
    }
    return mean;
  };

  std::printf("# %s; %lld threads; run %s; data %s\n", e3::perf::cpu_model().c_str(), static_cast<long long>(threads),
              run_path.c_str(), data_path.c_str());
  std::printf("# %zu test molecules (skipped: %lld without SMILES, %lld not embedded, %lld whose SMILES has other atoms);",
              embedded.size(), static_cast<long long>(no_smiles), static_cast<long long>(failed),
              static_cast<long long>(other_atoms));
  for (const auto& [name, count] : force_fields) std::printf(" %s %lld", name.c_str(), static_cast<long long>(count));
  std::printf("\n");
  const auto print_header = [&](size_t count) {
    std::printf("%-40s", ("geometry (" + std::to_string(count) + " molecules)").c_str());
    for (auto target : targets) {
      std::printf("  %14s", (std::string(e3::data::target_name(target)) + " MAE [" + e3::data::thesis_unit(target) + "]").c_str());
    }
    std::printf("\n");
  };
  // The MAE of `values` (per target, per molecule) on the first values[0].size() molecules.
  const auto print_row = [&](const std::string& name, const std::vector<std::vector<double>>& values) {
    std::printf("%-40s", name.c_str());
    for (size_t t = 0; t < targets.size(); ++t) {
      double sum = 0;
      for (size_t i = 0; i < values[t].size(); ++i) sum += std::abs(values[t][i] - dataset[embedded[i].index].target(targets[t]));
      std::printf("  %14.4f", sum / static_cast<double>(values[t].size()));
    }
    std::printf("\n");
  };
  print_header(embedded.size());
  print_row("QM9 (B3LYP minimum)", qm9);
  for (size_t k = 0; k < conformer_counts.size(); ++k) {
    std::vector<const e3::chem::Structure*> structures;
    for (const auto& entry : embedded) structures.push_back(&entry.structures[k]);
    print_row("RDKit ETKDG+force field, K=" + std::to_string(conformer_counts[k]) + (conformer_counts[k] > 1 ? " (mean)" : ""),
              conformer_means(structures, k == 0 ? &first_k_network_seconds : nullptr));
    if (conformer_counts[k] == 1) continue;
    // The conformer of lowest force-field energy alone (QM9's geometries are low-energy ones).
    std::vector<e3::chem::Structure> lowest;
    for (const auto* structure : structures) {
      const size_t best = static_cast<size_t>(
          std::min_element(structure->energies.begin(), structure->energies.end()) - structure->energies.begin());
      e3::chem::Structure one = *structure;
      one.conformers = {structure->conformers.at(best)};
      lowest.push_back(std::move(one));
    }
    std::vector<const e3::chem::Structure*> lowest_pointers;
    for (const auto& structure : lowest) lowest_pointers.push_back(&structure);
    print_row("RDKit ETKDG+force field, K=" + std::to_string(conformer_counts[k]) + " (lowest energy)",
              conformer_means(lowest_pointers, nullptr));
  }

  // GFN2-xTB on the force field's first conformer, for the first `xtb_molecules` molecules.
  if (xtb_molecules > 0) {
    const size_t count = std::min(embedded.size(), static_cast<size_t>(xtb_molecules));
    std::vector<e3::chem::Structure> refined;
    std::vector<const e3::chem::Structure*> force_field;
    int64_t xtb_failed = 0;
    const auto xtb_start = Clock::now();
    for (size_t i = 0; i < count; ++i) {
      e3::chem::Structure structure = embedded[i].structures[0];
      try {
        structure.conformers[0] = e3::chem::xtb_optimized(structure.atomic_numbers, structure.conformers[0], structure.charge);
      } catch (const e3::chem::StructureError&) {
        ++xtb_failed;  // kept at the force field's geometry, and counted
      }
      refined.push_back(std::move(structure));
      force_field.push_back(&embedded[i].structures[0]);
    }
    const double xtb_seconds = seconds_since(xtb_start);
    std::vector<const e3::chem::Structure*> refined_pointers;
    for (const auto& structure : refined) refined_pointers.push_back(&structure);
    // The QM9 geometry itself optimized by GFN2-xTB: the same conformer at another method's
    // minimum, which tells the conformer's share of the gap from the local geometry's.
    std::vector<e3::chem::Structure> qm9_relaxed;
    for (size_t i = 0; i < count; ++i) {
      const auto& molecule = dataset[embedded[i].index];
      e3::chem::Structure structure;
      structure.atomic_numbers = molecule.atomic_numbers;
      try {
        structure.conformers = {e3::chem::xtb_optimized(molecule.atomic_numbers, molecule.positions, 0)};
      } catch (const e3::chem::StructureError&) {
        structure.conformers = {molecule.positions};
        ++xtb_failed;
      }
      qm9_relaxed.push_back(std::move(structure));
    }
    std::vector<const e3::chem::Structure*> qm9_relaxed_pointers;
    for (const auto& structure : qm9_relaxed) qm9_relaxed_pointers.push_back(&structure);
    std::printf("# GFN2-xTB (xtb --opt --gfn 2, one thread) after the force field, K=1: %.2f s per molecule; %lld failed "
                "(kept as they were)\n",
                xtb_seconds / static_cast<double>(count), static_cast<long long>(xtb_failed));
    print_header(count);
    std::vector<std::vector<double>> qm9_part(targets.size());
    for (size_t t = 0; t < targets.size(); ++t) qm9_part[t].assign(qm9[t].begin(), qm9[t].begin() + count);
    print_row("QM9 (B3LYP minimum)", qm9_part);
    print_row("RDKit ETKDG+force field, K=1", conformer_means(force_field, nullptr));
    print_row("RDKit ETKDG+force field+GFN2-xTB, K=1", conformer_means(refined_pointers, nullptr));
    print_row("QM9 geometry optimized by GFN2-xTB", conformer_means(qm9_relaxed_pointers, nullptr));
  }

  // The time of SMILES -> prediction for the first K (the molecules skipped above included).
  const double total = first_k_seconds + first_k_network_seconds;
  std::printf("# SMILES -> prediction, K=%lld: %.1f molecules/s; RDKit parsing %.1f%%, ETKDG embedding %.1f%%, "
              "force field %.1f%%, the network %.1f%% (RDKit on one thread, the network on %lld)\n",
              static_cast<long long>(conformer_counts[0]), static_cast<double>(embedded.size()) / total,
              100 * parse / total, 100 * embed / total, 100 * optimize / total, 100 * first_k_network_seconds / total,
              static_cast<long long>(threads));
  return 0;
}
