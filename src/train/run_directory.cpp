#include "e3/train/run_directory.h"

#include <signal.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>

namespace e3::train {

namespace fs = std::filesystem;

RunDirectory RunDirectory::create(const std::string& path) {
  std::error_code error;
  if (fs::exists(path, error)) {
    if (!fs::is_directory(path, error)) throw std::runtime_error(path + ": exists and is not a directory");
    if (fs::exists(RunDirectory(path).config(), error)) {
      throw std::runtime_error(path + ": already holds a run; continue it with `e3cpp train --resume " + path +
                               "` or choose another --out");
    }
    if (!fs::is_empty(path, error)) throw std::runtime_error(path + ": exists and is not empty; choose another --out");
  }
  fs::create_directories(path, error);
  if (error) throw std::runtime_error(path + ": cannot create the directory (" + error.message() + ")");
  return RunDirectory(path);
}

RunDirectory RunDirectory::open(const std::string& path) {
  std::error_code error;
  if (!fs::is_directory(path, error)) throw std::runtime_error(path + ": no such run directory");
  const RunDirectory run(path);
  if (!fs::exists(run.config(), error) || !fs::exists(run.split(), error)) {
    throw std::runtime_error(path + ": not an e3cpp run directory (it has no config.json and split.json)");
  }
  return run;
}

int RunDirectory::remove_abandoned_checkpoints() const {
  int removed = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(path_, error)) {
    const std::string name = entry.path().filename().string();
    const auto mark = name.find(".pt.tmp.");
    if (mark == std::string::npos) continue;
    const std::string pid = name.substr(mark + 8);
    if (pid.empty() || pid.size() > 9 || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    // A process that still runs (or that this one may not signal) may be writing it.
    if (kill(static_cast<pid_t>(std::stol(pid)), 0) == 0 || errno != ESRCH) continue;
    if (fs::remove(entry.path(), error)) ++removed;
  }
  return removed;
}

}  // namespace e3::train
