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

}  // namespace

bool is_ensemble(const std::string& path) {
  std::error_code error;
  return fs::exists(description_path(path), error);
}

int64_t ensemble_members(const std::string& path) {
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
      json["members"].get<int64_t>() < 1) {
    throw data::DataError(file, 0, "not an ensemble's description: expected {\"members\": K} with K >= 1");
  }
  return json["members"].get<int64_t>();
}

std::string ensemble_member_path(const std::string& path, int64_t k) {
  return (fs::path(path) / ("member-" + std::to_string(k))).string();
}

void create_ensemble(const std::string& path, int64_t members) {
  if (members < 1) throw std::runtime_error("an ensemble needs at least 1 member, not " + std::to_string(members));
  std::error_code error;
  if (fs::exists(path, error) && !(fs::is_directory(path, error) && fs::is_empty(path, error))) {
    throw std::runtime_error(path + ": exists and is not an empty directory; choose another --out (or --resume " + path +
                             " to continue what it holds)");
  }
  fs::create_directories(path, error);
  if (error) throw std::runtime_error(path + ": cannot create the directory (" + error.message() + ")");
  data::write_file_atomically(description_path(path), nlohmann::json{{"members", members}}.dump() + "\n");
}

TrainConfig ensemble_member_config(const TrainConfig& first, int64_t k) {
  TrainConfig config = first;
  const int64_t seed = first.integer("seed");
  const int64_t split_seed = first.integer("split_seed") >= 0 ? first.integer("split_seed") : seed;
  config.set("split_seed", split_seed, "ensemble");
  config.set("seed", seed + k - 1, "ensemble member " + std::to_string(k));
  return config;
}

}  // namespace e3::train
