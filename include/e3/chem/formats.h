#pragma once
// The molecule formats chemists keep their molecules in, as registered formats of e3_data
// (data/molecule_formats.h), so that every command that reads molecules reads them:
//
//   SMILES (.smi, .smiles): one molecule a line, "SMILES [NAME]"; blank lines and lines
//     starting with '#' are skipped; a first line "smiles ..." (any case) is a header
//   CSV (.csv): a header line; the SMILES in the column ReadOptions::smiles_column, the id in
//     a column "name" or "id" when there is one, targets in the columns of their names or
//     ReadOptions::target_columns (values in QM9's file units, as in extended XYZ)
//   SDF and MOL (.sdf, .sd, .mol): records ended by "$$$$"; 3D coordinates are used as they
//     are (hydrogens RDKit adds get coordinates of their own), records without them (2D or all
//     zero) are embedded; the id is the record's title line or "<file>#<record>"; targets from
//     data fields ("> <mu>") named like the CSV columns
//
// each plain or gzip-compressed (.gz). A structure without coordinates gets
// ReadOptions::conformers conformers from ETKDG + MMFF94/UFF (structure.h), then GFN2-xTB when
// ReadOptions::optimize is "xtb" (xtb.h; an error naming the file when xtb is not installed); each is a Molecule
// with its conformer index, named "<id>" for one conformer, "<id>:<k>" for several. A record
// RDKit cannot read or embed is skipped (data::SkippedMolecule: bad_smiles, bad_structure,
// embedding_failed; optimization_failed when xtb fails) and the reading goes on.

namespace e3::chem {

/// Registers the SMILES, CSV and SDF formats with e3_data (idempotent).
void register_formats();

}  // namespace e3::chem
