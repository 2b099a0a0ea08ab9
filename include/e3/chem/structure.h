#pragma once
// 3D structures for chemists' molecules with RDKit: a SMILES string (or a molecule without 3D
// coordinates) gets explicit hydrogens, ETKDG (version 3) distance-geometry embedding from a
// fixed seed (for a strained cage ETKDG cannot embed, random starting coordinates, then plain
// distance geometry that accepts a failed triangle smoothing), and a force-field optimization — MMFF94, or UFF where MMFF94 lacks parameters
// for an atom. The geometries are force-field minima, not the B3LYP minima of QM9: see the
// README's "Molecules from SMILES and SDF" for what that costs a model trained on QM9.
//
// This header, formats.h and xtb.h are e3::chem's interface; RDKit's types stay inside src/chem.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace e3::chem {

struct EmbeddingOptions {
  /// Conformers embedded (each from its own ETKDG start; RDKit prunes none).
  int64_t conformers = 1;
  /// Seed of the embedding's random numbers: the same seed gives the same coordinates.
  int64_t seed = 42;
  /// Most force-field iterations per conformer; one that has not converged is still used.
  int max_iterations = 2000;
  /// Optimize each conformer further with GFN2-xTB (the xtb program, xtb.h) after the force field.
  bool xtb = false;
};

/// A molecule with explicit hydrogens and one or more 3D conformers.
struct Structure {
  /// Atomic numbers, RDKit's atom order (hydrogens after the atoms they were added to).
  std::vector<int64_t> atomic_numbers;
  /// Positions in Angstrom per conformer, atom-major (x0, y0, z0, x1, ...).
  std::vector<std::vector<double>> conformers;
  /// The force field's energy of each conformer after its optimization (kcal/mol; comparable
  /// between the conformers of one structure only); empty when the file gave the coordinates.
  std::vector<double> energies;
  /// Total formal charge.
  int64_t charge = 0;
  /// RDKit's canonical SMILES of the structure (without hydrogens).
  std::string smiles;
  /// How the coordinates were made: "ETKDG+MMFF94" or "ETKDG+UFF" ("DG+..." for a strained cage
  /// that only plain distance geometry embeds), "+GFN2-xTB" after it when xtb optimized them.
  std::string geometry;
};

/// Why a structure could not be made: reason() is "bad_smiles" (RDKit cannot read or sanitize
/// it), "embedding_failed" (no 3D embedding was found) or "optimization_failed" (xtb failed);
/// what() says more.
class StructureError : public std::runtime_error {
 public:
  StructureError(std::string reason, const std::string& detail)
      : std::runtime_error(detail), reason_(std::move(reason)) {}
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

/// The structure of `smiles` with `options.conformers` conformers; StructureError when RDKit
/// cannot parse or embed it.
Structure structure_from_smiles(const std::string& smiles, const EmbeddingOptions& options);

/// Where the time of structure_from_smiles() and the SDF reader went, summed over the process
/// (for throughput reports: e3cpp predict prints it).
struct EmbeddingTimes {
  int64_t structures = 0, conformers = 0;
  double parse_seconds = 0, embed_seconds = 0, optimize_seconds = 0, xtb_seconds = 0;
};

/// The sums so far.
EmbeddingTimes embedding_times();

}  // namespace e3::chem
