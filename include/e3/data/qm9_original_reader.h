#pragma once
// Reader of QM9's original per-molecule files (dsgdb9nsd_NNNNNN.xyz, as in
// dsgdb9nsd.xyz.tar.bz2; Ramakrishnan et al., Sci. Data 1, 140022 (2014), Table 2):
//
//   line 1        atom count N
//   line 2        "gdb", the QM9 index, then 15 properties: A B C (GHz) mu alpha homo lumo gap
//                 r2 zpve U0 U H G Cv (QM9's file units, see targets.h)
//   N lines       element, x, y, z (Angstrom), Mulliken charge
//   1 line        harmonic frequencies
//   1 line        SMILES (GDB-17 and relaxed geometry)
//   1 line        InChI (GDB-17 and relaxed geometry)
//
// Fields are separated by tabs and/or spaces; numbers may use Mathematica's exponent
// notation (1.2*^-6). Every value is checked (a frequency or charge that is not a number is
// an error too), and every problem is a DataError "FILE:LINE: problem".

#include <string>
#include <string_view>

#include "e3/data/molecule.h"

namespace e3::data {

/// True when `text` looks like an original QM9 file: its second line starts with "gdb"
/// followed by a tab or space.
bool is_qm9_original(std::string_view text);

/// Parses one molecule in the original format. Its id is the QM9 index ("1" for `gdb 1`);
/// `source` names the text in errors and in Molecule::source_file.
Molecule parse_qm9_original(std::string_view text, const std::string& source);

}  // namespace e3::data
