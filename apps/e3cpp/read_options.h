#pragma once
// The options of the commands that read molecules from SMILES, CSV or SDF files without a
// training configuration (predict, eval, dataset); train and bench take the same settings as
// configuration keys (smiles_column, target_columns, conformers, embedding_seed, optimize).

#include "args.h"
#include "e3/data/read_options.h"

namespace e3::cli {

/// Declares --smiles-column, --target-columns, --conformers, --embedding-seed and --optimize on
/// `parser`.
void add_read_options(ArgParser& parser);

/// `base` with the options given over it, embedding on LibTorch's thread count (set --threads
/// first); a UsageError naming a bad one.
data::ReadOptions read_options(const ParsedArgs& parsed, data::ReadOptions base = {});

}  // namespace e3::cli
