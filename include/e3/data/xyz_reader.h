#pragma once
// Reader of extended XYZ (the format ASE writes, and that of ../shared/qm9/qm9.extxyz.gz)
// and of plain XYZ.
//
// A text holds frames, each: a line with the atom count N; a comment line; N atom lines.
// Blank lines between frames and at the end are allowed.
//
// Extended XYZ: the comment line is `key=value` pairs separated by spaces; a value may be
// double-quoted, and then may contain spaces and '=' (smiles="CC(=O)C"; \" and \\ escape).
// A key without '=' is a flag. Keys used:
//   Properties=NAME:TYPE:COUNT:...  the atom-line columns; it must contain species:S:1 (or
//                                   Z:I:1, atomic numbers) and pos:R:3; other columns are
//                                   read past. Without it: species x y z, extra columns ignored.
//   gdb=N                           the QM9 index, used as the molecule's id
//   mu alpha homo lumo gap r2 zpve U0 U H G Cv
//                                   the targets, in QM9's file units (targets.h), converted
//                                   to the thesis' units. A frame without some of them
//                                   simply lacks those targets (Molecule::has).
// Other keys (A, B, C, smiles, pbc, ...) are ignored.
//
// Plain XYZ: a comment line that is not `key=value` syntax (or has no '=' pair at all) is
// free text; atoms are `species x y z` with any further columns ignored.
//
// Every problem is a DataError "FILE:LINE: problem" (frame numbers where they help):
// truncated file, atom count that does not match the atom lines, unknown element,
// unparsable or non-finite number, malformed Properties, empty file.

#include <string>
#include <string_view>
#include <vector>

#include "e3/data/molecule.h"

namespace e3::data {

/// Parses every frame of an extended- or plain-XYZ text. `source` names the text in errors
/// and in Molecule::source_file; `name` (the file name without directories) makes the ids of
/// frames that have no `gdb` key: "<name>#<frame>", frames counted from 0.
std::vector<Molecule> parse_xyz(std::string_view text, const std::string& source, const std::string& name);

}  // namespace e3::data
