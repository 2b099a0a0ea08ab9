#pragma once
// Files for the e3::chem tests: gzip, V2000 mol blocks (SDF records) and saturated molecules
// of the embedded sample with their bonds.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "e3/data/molecule.h"
#include "files.h"

namespace e3::chem::testing {

using e3::testing::write_gzip;  // tests/support/files.h

/// One atom of a mol block: element symbol and position in Angstrom.
struct MolAtom {
  std::string symbol;
  double x = 0, y = 0, z = 0;
};

/// One bond of a mol block: atom indices from 0, bond order (1, 2, 3).
struct MolBond {
  int a = 0, b = 0, order = 1;
};

/// One SDF record (V2000): title line, "3D" or "2D" on the program line, the atoms (4 decimals,
/// as V2000 writes them), the bonds, the data fields ("> <NAME>" VALUE) and the "$$$$" line.
std::string sdf_record(const std::string& title, const std::vector<MolAtom>& atoms, const std::vector<MolBond>& bonds,
                       const std::vector<std::pair<std::string, std::string>>& fields = {}, bool three_d = true);

/// The bonds between the atoms of `molecule` by distance (covalent radii, 15% slack).
std::vector<MolBond> bonds_by_distance(const data::Molecule& molecule);

/// Whether every atom of `molecule` has as many bonds (bonds_by_distance) as its valence with
/// single bonds (H 1, C 4, N 3, O 2, F 1): then single bonds describe it completely.
bool is_saturated(const data::Molecule& molecule, const std::vector<MolBond>& bonds);

/// `molecule` with its positions rounded to 4 decimals (what a V2000 mol block keeps).
data::Molecule rounded_to_mol_block(data::Molecule molecule);

/// The atoms of `molecule` for sdf_record().
std::vector<MolAtom> mol_atoms(const data::Molecule& molecule);

/// Plain XYZ text of `molecules` (17 digits: exact).
std::string xyz_text(const std::vector<data::Molecule>& molecules);

/// The distance between atoms a and b of the flat positions (x0, y0, z0, x1, ...).
double distance(const std::vector<double>& positions, int64_t a, int64_t b);

}  // namespace e3::chem::testing
