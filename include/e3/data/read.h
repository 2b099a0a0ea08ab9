#pragma once
// read_molecules(): one entry point for every source of molecules.
//
//   a file of extended XYZ or plain XYZ text, plain or gzip-compressed (.gz, by content)
//   an original QM9 file (dsgdb9nsd_NNNNNN.xyz)
//   a directory: its files named *.xyz, *.extxyz, *.xyz.gz or *.extxyz.gz (not recursive)
//   an archive: QM9's dsgdb9nsd.xyz.tar.bz2, or any tar (plain, gzip, bzip2, xz) or zip
//     archive; its regular files named *.xyz or *.extxyz are read, other members skipped
//
//   a file of a registered format (molecule_formats.h): SMILES (.smi, .smiles), CSV with a
//     SMILES column (.csv), SDF/MOL (.sdf, .sd, .mol), each plain or .gz, read as `options` say
//
// Each text is read as an original QM9 file when its second line starts with "gdb" and a tab
// or space (qm9_original_reader.h), otherwise as extended/plain XYZ (xyz_reader.h).
// Molecules come in a canonical order — directory files and archive members sorted by name,
// frames in file order — so that a seeded split is the same however the data is packed:
// QM9's original files and the extended-XYZ copy sorted by index give the same order.
// Every problem is a DataError naming the file (for archive members "ARCHIVE(MEMBER)"), the
// line and the problem.

#include <string>
#include <string_view>
#include <vector>

#include "e3/data/molecule.h"
#include "e3/data/molecule_formats.h"
#include "e3/data/read_options.h"

namespace e3::data {

/// Reads every molecule of the file, directory or archive at `path` (see the file comment).
/// DataError when the path does not exist, holds no molecules, or has bad content. Records of
/// a registered format that give no molecule (a SMILES that does not parse) are appended to
/// `skipped`; without it the first is a DataError naming its line.
std::vector<Molecule> read_molecules(const std::string& path, const ReadOptions& options = {},
                                     std::vector<SkippedMolecule>* skipped = nullptr);

/// The DataError of a record that gave no molecule, for readers that cannot skip it.
[[noreturn]] void fail_skipped(const SkippedMolecule& skipped);

/// Parses the molecules of one text, detecting the format: `source` names it in errors and
/// Molecule::source_file; `name` (the file name without directories) makes the ids of frames
/// without a QM9 index.
std::vector<Molecule> parse_molecules(std::string_view text, const std::string& source, const std::string& name);

}  // namespace e3::data
