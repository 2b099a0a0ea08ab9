#pragma once
// The Molecules of a Structure (internal to e3::chem): one per conformer, with the record's
// id, file, line and targets — what the SMILES, CSV and SDF readers share.

#include <string>
#include <vector>

#include "e3/chem/structure.h"
#include "e3/data/molecule.h"
#include "e3/data/read_options.h"

namespace e3::chem {

/// One molecule per conformer of `structure`: copies of `record` (id, source, frame, targets)
/// with the structure's atoms, positions, charge and geometry, and its SMILES where the record
/// has none. Several conformers are
/// named "<id>:<k>" and numbered by Molecule::conformer; one keeps the id, and conformer -1
/// when the file gave its coordinates.
std::vector<data::Molecule> structure_molecules(const Structure& structure, const data::Molecule& record);

/// The embedding `options` ask for.
EmbeddingOptions embedding_options(const data::ReadOptions& options);

/// The id of a record without a name: "<file name>#<record>" as for XYZ frames.
std::string unnamed_id(const std::string& path, int64_t record);

}  // namespace e3::chem
