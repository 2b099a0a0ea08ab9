#include "shipped_models.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "args.h"

namespace e3::cli {

namespace fs = std::filesystem;

std::string shipped_models_directory() {
  if (const char* directory = std::getenv("E3CPP_MODELS"); directory && *directory) return directory;
  return E3CPP_MODELS_DIR;
}

std::vector<std::string> shipped_model_names() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(shipped_models_directory(), error)) {
    if (entry.is_directory() && fs::exists(entry.path() / "config.json")) names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string shipped_model_path(const std::string& name) {
  const auto names = shipped_model_names();
  if (std::find(names.begin(), names.end(), name) != names.end()) return (fs::path(shipped_models_directory()) / name).string();
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw UsageError("no shipped model '" + name + "' in " + shipped_models_directory() + " (the models: " +
                   (known.empty() ? "none" : known) + "; e3cpp models lists them)");
}

}  // namespace e3::cli
