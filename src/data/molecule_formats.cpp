#include "e3/data/molecule_formats.h"

#include <filesystem>
#include <mutex>

#include "e3/data/error.h"
#include "e3/data/line_reader.h"

namespace e3::data {
namespace {

// The endings of the formats e3::chem reads: without its registration they would otherwise be
// read as XYZ and fail on their first line with a message that does not say why.
constexpr const char* kChemSuffixes[] = {".smi", ".smiles", ".csv", ".sdf", ".sd", ".mol"};

std::mutex& registry_mutex() {
  static std::mutex mutex;
  return mutex;
}

// Formats are never removed and each lives in its own allocation, so pointers to them stay valid.
std::vector<std::unique_ptr<MoleculeFormat>>& registry() {
  static std::vector<std::unique_ptr<MoleculeFormat>> formats;
  return formats;
}

// The file name of `path` without a final ".gz".
std::string name_without_gzip(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  if (ends_with(name, ".gz")) name.resize(name.size() - 3);
  return name;
}

}  // namespace

void register_molecule_format(MoleculeFormat format) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  for (auto& known : registry()) {
    if (known->name == format.name) {
      *known = std::move(format);
      return;
    }
  }
  registry().push_back(std::make_unique<MoleculeFormat>(std::move(format)));
}

const MoleculeFormat* find_molecule_format(const std::string& path) {
  const std::string name = name_without_gzip(path);
  std::lock_guard<std::mutex> lock(registry_mutex());
  for (const auto& format : registry()) {
    for (const auto& suffix : format->suffixes) {
      if (ends_with(name, suffix)) return format.get();
    }
  }
  for (const char* suffix : kChemSuffixes) {
    if (ends_with(name, suffix)) {
      throw DataError(path, 0,
                      std::string("a ") + suffix + " file needs the SMILES/SDF readers, which this program did not "
                      "register (e3::chem::register_formats())");
    }
  }
  return nullptr;
}

}  // namespace e3::data
