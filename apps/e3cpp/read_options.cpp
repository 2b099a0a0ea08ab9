#include "read_options.h"

#include <torch/torch.h>

#include <stdexcept>

namespace e3::cli {

void add_read_options(ArgParser& parser) {
  parser.option("smiles-column", "NAME", "CSV input: the column that holds the SMILES (default: smiles)")
      .option("target-columns", "T=COL,...",
              "CSV/SDF input: read target T from column or SDF property COL (default: the target's name)")
      .option("conformers", "K", "SMILES/2D SDF input: embed K conformers per molecule (default: 1)")
      .option("embedding-seed", "N", "SMILES/2D SDF input: seed of the 3D embedding (default: 42)")
      .option("optimize", "HOW",
              "SMILES/2D SDF input: force_field (MMFF94, or UFF; the default) or xtb (then GFN2-xTB, the xtb program)");
}

data::ReadOptions read_options(const ParsedArgs& parsed, data::ReadOptions base) {
  try {
    if (parsed.given("smiles-column")) base.smiles_column = parsed.value("smiles-column");
    if (parsed.given("target-columns")) base.target_columns = data::parse_target_columns(parsed.value("target-columns"));
    if (parsed.given("conformers")) base.conformers = parsed.integer("conformers");
    if (parsed.given("embedding-seed")) base.embedding_seed = parsed.integer("embedding-seed");
    if (parsed.given("optimize")) base.optimize = parsed.value("optimize");
    base.threads = torch::get_num_threads();
    base.validate();
  } catch (const std::invalid_argument& error) {
    throw UsageError(std::string("--") + error.what());
  }
  return base;
}

}  // namespace e3::cli
