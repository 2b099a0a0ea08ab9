#pragma once
// GFN2-xTB geometry optimization through the xtb program (Debian's xtb; Grimme's semiempirical
// tight-binding method): closer to QM9's B3LYP minima than a force field, at a fraction of a
// second for a molecule of QM9's size (bench_smiles_geometry --xtb measures it). Each call runs
// `xtb input.xyz --opt --gfn 2 --chrg Q` on one thread in a temporary directory of its own.

#include <cstdint>
#include <string>
#include <vector>

#include "e3/chem/structure.h"

namespace e3::chem {

/// True when an executable `xtb` is on PATH.
bool xtb_available();

/// The GFN2-xTB minimum from `positions` (Angstrom, atom-major) of the atoms `atomic_numbers`
/// with total charge `charge`; StructureError("optimization_failed") naming xtb's last words
/// when it fails.
std::vector<double> xtb_optimized(const std::vector<int64_t>& atomic_numbers, const std::vector<double>& positions,
                                  int64_t charge);

}  // namespace e3::chem
