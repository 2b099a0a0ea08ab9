#include "e3/chem/structure.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>

#include <GraphMol/DistGeomHelpers/Embedder.h>
#include <GraphMol/ForceFieldHelpers/MMFF/MMFF.h>
#include <GraphMol/ForceFieldHelpers/UFF/UFF.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>

#include "e3/chem/xtb.h"
#include "rdkit_structure.h"

namespace e3::chem {
namespace {

std::mutex times_mutex;
EmbeddingTimes times;

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Atoms, charge and SMILES of `molecule`, without coordinates.
Structure structure_of(const RDKit::ROMol& molecule) {
  Structure structure;
  for (const RDKit::Atom* atom : molecule.atoms()) structure.atomic_numbers.push_back(atom->getAtomicNum());
  structure.charge = RDKit::MolOps::getFormalCharge(molecule);
  const std::unique_ptr<RDKit::ROMol> without_hydrogens(RDKit::MolOps::removeHs(molecule));
  structure.smiles = RDKit::MolToSmiles(*without_hydrogens);
  return structure;
}

std::vector<double> positions_of(const RDKit::Conformer& conformer) {
  std::vector<double> positions;
  positions.reserve(3 * conformer.getNumAtoms());
  for (const auto& point : conformer.getPositions()) {
    positions.insert(positions.end(), {point.x, point.y, point.z});
  }
  return positions;
}

}  // namespace

void add_parse_time(double seconds) {
  std::lock_guard<std::mutex> lock(times_mutex);
  times.parse_seconds += seconds;
}

EmbeddingTimes embedding_times() {
  std::lock_guard<std::mutex> lock(times_mutex);
  return times;
}

bool has_3d_coordinates(const RDKit::ROMol& molecule) {
  if (molecule.getNumConformers() == 0) return false;
  // Every atom at the origin is how many programs write "no coordinates", whatever the
  // dimension the header claims.
  const RDKit::Conformer& conformer = molecule.getConformer();
  const auto& points = conformer.getPositions();
  const bool all_zero = std::all_of(points.begin(), points.end(),
                                    [](const auto& point) { return point.x == 0 && point.y == 0 && point.z == 0; });
  if (all_zero) return false;
  if (conformer.is3D()) return true;
  return std::any_of(points.begin(), points.end(), [](const auto& point) { return point.z != 0.0; });
}

Structure structure_with_coordinates(RDKit::RWMol& molecule) {
  RDKit::MolOps::addHs(molecule, /*explicitOnly=*/false, /*addCoords=*/true);
  Structure structure = structure_of(molecule);
  structure.conformers.push_back(positions_of(molecule.getConformer()));
  return structure;
}

Structure embed_structure(RDKit::RWMol& molecule, const EmbeddingOptions& options) {
  const auto start = Clock::now();
  RDKit::MolOps::addHs(molecule);
  // ETKDG version 3 (Wang et al. 2020, with the macrocycle torsions), RDKit's recommended
  // embedding; one thread, since e3cpp parallelizes elsewhere.
  RDKit::DGeomHelpers::EmbedParameters parameters = RDKit::DGeomHelpers::ETKDGv3;
  parameters.randomSeed = static_cast<int>(options.seed);
  parameters.numThreads = 1;
  auto ids = RDKit::DGeomHelpers::EmbedMultipleConfs(molecule, static_cast<unsigned>(options.conformers), parameters);
  std::string method = "ETKDG";
  if (ids.empty()) {
    // RDKit's advice for molecules whose distance-geometry eigenvalue start fails: start
    // from random coordinates; and for small strained cages (QM9 has many), whose bounds
    // matrix fails triangle smoothing, to embed anyway.
    parameters.useRandomCoords = true;
    ids = RDKit::DGeomHelpers::EmbedMultipleConfs(molecule, static_cast<unsigned>(options.conformers), parameters);
    if (ids.empty()) {
      RDKit::DGeomHelpers::EmbedParameters plain;  // distance geometry without ETKDG's torsion terms
      plain.randomSeed = parameters.randomSeed;
      plain.useRandomCoords = true;
      plain.ignoreSmoothingFailures = true;
      plain.enforceChirality = false;
      plain.maxIterations = 1000;
      ids = RDKit::DGeomHelpers::EmbedMultipleConfs(molecule, static_cast<unsigned>(options.conformers), plain);
      method = "DG";
    }
  }
  const double embed_seconds = seconds_since(start);
  if (ids.empty()) {
    std::lock_guard<std::mutex> lock(times_mutex);
    times.embed_seconds += embed_seconds;  // a failure's time counts too: it is spent all the same
    throw StructureError("embedding_failed", "neither ETKDG nor plain distance geometry found a 3D embedding");
  }

  const auto optimize_start = Clock::now();
  Structure structure = structure_of(molecule);
  std::vector<std::pair<int, double>> results;
  RDKit::MMFF::MMFFMolProperties mmff(molecule);
  if (mmff.isValid()) {
    // The force field from the atom types just assigned (MMFFOptimizeMoleculeConfs would type the
    // molecule again), with that function's non-bonded threshold of 10 A.
    const std::unique_ptr<ForceFields::ForceField> field(
        RDKit::MMFF::constructForceField(molecule, &mmff, /*nonBondedThresh=*/10.0));
    RDKit::ForceFieldsHelper::OptimizeMoleculeConfs(molecule, *field, results, 1, options.max_iterations);
    structure.geometry = method + "+MMFF94";
  } else {
    RDKit::UFF::UFFOptimizeMoleculeConfs(molecule, results, 1, options.max_iterations);
    structure.geometry = method + "+UFF";
  }
  for (int id : ids) structure.conformers.push_back(positions_of(molecule.getConformer(id)));
  // RDKit's results follow the molecule's conformers, which are the embedded ones in order.
  for (const auto& result : results) structure.energies.push_back(result.second);
  const double optimize_seconds = seconds_since(optimize_start);
  const auto xtb_start = Clock::now();
  if (options.xtb) {
    for (auto& positions : structure.conformers) {
      positions = xtb_optimized(structure.atomic_numbers, positions, structure.charge);
    }
    structure.geometry += "+GFN2-xTB";
  }
  for (const auto& positions : structure.conformers) {
    for (double x : positions) {
      if (!std::isfinite(x)) throw StructureError("embedding_failed", "the force field gave non-finite coordinates");
    }
  }
  std::lock_guard<std::mutex> lock(times_mutex);
  times.structures += 1;
  times.conformers += static_cast<int64_t>(structure.conformers.size());
  times.embed_seconds += embed_seconds;
  times.optimize_seconds += optimize_seconds;
  times.xtb_seconds += options.xtb ? seconds_since(xtb_start) : 0.0;
  return structure;
}

Structure structure_from_smiles(const std::string& smiles, const EmbeddingOptions& options) {
  const auto start = Clock::now();
  std::unique_ptr<RDKit::RWMol> molecule;
  try {
    // The whole string is the SMILES: RDKit would otherwise read text after a space as a name
    // (the readers split names off themselves).
    RDKit::SmilesParserParams parameters;
    parameters.parseName = false;
    molecule.reset(RDKit::SmilesToMol(smiles, parameters));
  } catch (const std::exception& error) {
    // Sanitization problems (a valence RDKit does not accept, an aromatic ring it cannot
    // kekulize) are exceptions; syntax errors a null molecule.
    add_parse_time(seconds_since(start));
    throw StructureError("bad_smiles", error.what());
  }
  add_parse_time(seconds_since(start));
  if (!molecule) throw StructureError("bad_smiles", "RDKit cannot parse '" + smiles + "'");
  if (molecule->getNumAtoms() == 0) throw StructureError("bad_smiles", "no atoms");
  return embed_structure(*molecule, options);
}

}  // namespace e3::chem
