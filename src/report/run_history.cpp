#include "e3/report/run_history.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "e3/train/config.h"
#include "e3/train/model_builder.h"
#include "e3/train/run_directory.h"

namespace e3::report {
namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
  return fields;
}

}  // namespace

bool RunHistory::has(const std::string& column) const {
  return std::find(columns.begin(), columns.end(), column) != columns.end();
}

std::vector<double> RunHistory::column(const std::string& name) const {
  const auto at = std::find(columns.begin(), columns.end(), name);
  if (at == columns.end()) throw std::runtime_error(run + ": its metrics.csv has no column " + name);
  const auto index = static_cast<size_t>(at - columns.begin());
  std::vector<double> values;
  for (const auto& row : rows) values.push_back(row[index]);
  return values;
}

RunHistory read_run_history(const std::string& path) {
  const auto directory = train::RunDirectory::open(path);
  RunHistory history;
  history.run = path;
  history.label = std::filesystem::path(path).lexically_normal().filename().string();
  if (history.label.empty()) history.label = std::filesystem::path(path).lexically_normal().parent_path().filename().string();
  history.targets = train::config_targets(train::TrainConfig::from_file(directory.config()));
  const std::string file = directory.metrics();
  std::ifstream in(file);
  if (!in) throw std::runtime_error(path + ": the run has not validated yet (no metrics.csv)");
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error(file + ":1: empty file");
  history.columns = split_csv_line(line);
  for (int64_t number = 2; std::getline(in, line); ++number) {
    const auto fields = split_csv_line(line);
    if (fields.size() != history.columns.size()) {
      throw std::runtime_error(file + ":" + std::to_string(number) + ": " + std::to_string(fields.size()) +
                               " fields where the header has " + std::to_string(history.columns.size()));
    }
    std::vector<double> row;
    for (const auto& field : fields) {
      char* end = nullptr;
      const double value = std::strtod(field.c_str(), &end);
      if (field.empty() || *end != '\0') {
        throw std::runtime_error(file + ":" + std::to_string(number) + ": '" + field + "' is not a number");
      }
      row.push_back(value);
    }
    history.rows.push_back(std::move(row));
  }
  return history;
}

}  // namespace e3::report
