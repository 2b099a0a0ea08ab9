#pragma once
// Structures from RDKit molecules (internal to e3::chem): what structure_from_smiles() and the
// SDF reader share.

#include <memory>

#include <GraphMol/RWMol.h>

#include "e3/chem/structure.h"

namespace e3::chem {

/// `molecule` with explicit hydrogens, embedded (ETKDG v3) and optimized (MMFF94, else UFF)
/// as `options` say; StructureError("embedding_failed") when no conformer is found.
Structure embed_structure(RDKit::RWMol& molecule, const EmbeddingOptions& options);

/// The coordinates `molecule` has (its first conformer, 3D), with hydrogens RDKit adds placed
/// by RDKit; geometry is left empty (the file's).
Structure structure_with_coordinates(RDKit::RWMol& molecule);

/// True when `molecule` has a conformer with 3D coordinates: not every atom at the origin, and
/// flagged 3D or with a z that is not 0.
bool has_3d_coordinates(const RDKit::ROMol& molecule);

/// Adds `seconds` of RDKit parsing to embedding_times().
void add_parse_time(double seconds);

}  // namespace e3::chem
