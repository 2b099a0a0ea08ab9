#pragma once
// The kinds of path molecules are read from, and what read_molecules() and MoleculeStream
// both need of them (internal to the readers; implemented in read.cpp).

#include <string>
#include <vector>

#include "e3/data/molecule.h"

namespace e3::data {

enum class SourceKind { text, directory, archive };

/// What `path` is; DataError when it does not exist or is neither a regular file nor a directory.
SourceKind source_kind(const std::string& path);

/// True for *.xyz and *.extxyz, and with `allow_gzip` *.xyz.gz and *.extxyz.gz.
bool is_molecule_file_name(const std::string& name, bool allow_gzip);

/// The paths of the regular molecule files (is_molecule_file_name, gzip allowed) of the
/// directory `path`, not recursive, sorted by file name. DataError when it cannot be listed or
/// holds none.
std::vector<std::string> molecule_files(const std::string& path);

/// Every molecule of the archive at `path`, its members' molecules in member-name order.
std::vector<Molecule> read_archive(const std::string& path);

}  // namespace e3::data
