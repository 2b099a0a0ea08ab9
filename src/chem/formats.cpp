#include "e3/chem/formats.h"

#include <RDGeneral/RDLog.h>

#include "e3/chem/xtb.h"
#include "e3/data/error.h"
#include "e3/data/molecule_formats.h"
#include "sdf_reader.h"
#include "smiles_reader.h"

namespace e3::chem {
namespace {

// `options`, checked: a DataError naming the file for a value no reader can use.
const data::ReadOptions& checked(const data::ReadOptions& options, const std::string& path) {
  try {
    options.validate();
  } catch (const std::invalid_argument& error) {
    throw data::DataError(path, 0, error.what());
  }
  if (options.optimize == "xtb" && !xtb_available()) {
    throw data::DataError(path, 0, "optimizing with xtb needs the xtb program on PATH (Debian's package xtb)");
  }
  return options;
}

}  // namespace

void register_formats() {
  // RDKit writes its parse errors and warnings to standard error itself; e3cpp reports each
  // skipped record once, with its file and line, instead.
  RDLog::InitLogs();
  boost::logging::disable_logs("rdApp.error");
  boost::logging::disable_logs("rdApp.warning");
  using data::ReadOptions;
  data::register_molecule_format({"SMILES", {".smi", ".smiles"}, [](const std::string& path, const ReadOptions& options) {
                                    return std::make_unique<SmilesReader>(path, checked(options, path),
                                                                          SmilesReader::Layout::smiles_lines);
                                  }});
  data::register_molecule_format({"CSV", {".csv"}, [](const std::string& path, const ReadOptions& options) {
                                    return std::make_unique<SmilesReader>(path, checked(options, path),
                                                                          SmilesReader::Layout::csv);
                                  }});
  data::register_molecule_format({"SDF", {".sdf", ".sd", ".mol"}, [](const std::string& path, const ReadOptions& options) {
                                    return std::make_unique<SdfReader>(path, checked(options, path));
                                  }});
}

}  // namespace e3::chem
