#include "e3/train/ensemble.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "e3/data/atomic_file.h"
#include "e3/data/error.h"

namespace e3::train {

namespace fs = std::filesystem;

namespace {

std::string description_path(const std::string& path) { return (fs::path(path) / "ensemble.json").string(); }

// ensemble.json, checked: {"members": K >= 1, "config": {...}}.
nlohmann::json read_description(const std::string& path) {
  const std::string file = description_path(path);
  std::ifstream in(file);
  if (!in) throw data::DataError(file, 0, "cannot open the ensemble's description");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw data::DataError(file, 0, std::string("not an ensemble's description: ") + error.what());
  }
  if (!json.is_object() || !json.contains("members") || !json["members"].is_number_integer() ||
      json["members"].get<int64_t>() < 1 || !json.contains("config") || !json["config"].is_object()) {
    throw data::DataError(file, 0,
                          "not an ensemble's description: expected {\"members\": K, \"config\": {...}} with K >= 1");
  }
  return json;
}

}  // namespace

bool is_ensemble(const std::string& path) {
  std::error_code error;
  return fs::exists(description_path(path), error);
}

int64_t ensemble_members(const std::string& path) { return read_description(path)["members"].get<int64_t>(); }

std::string ensemble_member_path(const std::string& path, int64_t k) {
  return (fs::path(path) / ("member-" + std::to_string(k))).string();
}

void create_ensemble(const std::string& path, int64_t members, const TrainConfig& first) {
  if (members < 1) throw std::runtime_error("an ensemble needs at least 1 member, not " + std::to_string(members));
  std::error_code error;
  if (fs::exists(path, error) && !(fs::is_directory(path, error) && fs::is_empty(path, error))) {
    throw std::runtime_error(path + ": exists and is not an empty directory; choose another --out (or --resume " + path +
                             " to continue what it holds)");
  }
  fs::create_directories(path, error);
  if (error) throw std::runtime_error(path + ": cannot create the directory (" + error.message() + ")");
  data::write_file_atomically(description_path(path),
                              nlohmann::json{{"members", members}, {"config", first.json()}}.dump(2) + "\n");
}

TrainConfig ensemble_member_config(const std::string& path, int64_t k) {
  TrainConfig config = TrainConfig::from_json(read_description(path)["config"], description_path(path));
  const int64_t seed = config.integer("seed");
  const int64_t split_seed = config.integer("split_seed") >= 0 ? config.integer("split_seed") : seed;
  config.set("split_seed", split_seed, "ensemble");
  config.set("seed", seed + k - 1, "ensemble member " + std::to_string(k));
  return config;
}

std::vector<int64_t> ensemble_members_of_process(int64_t members, int rank, int processes) {
  std::vector<int64_t> mine;
  for (int64_t k = 1 + rank; k <= members; k += processes) mine.push_back(k);
  return mine;
}

}  // namespace e3::train
