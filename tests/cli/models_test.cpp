// The models that come with e3cpp (models/): each reproduces its model card on the embedded
// sample, fits the size budget and predicts by name; e3cpp models lists them.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "files.h"
#include "process.h"

namespace e3::testing {
namespace {

// A figure as model cards print it: three significant digits.
std::string printed(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.3g", value);
  return text;
}

// The trimmed cells of the row of the card's table that starts with `target`
// ("| mu | D | 0.0558 | ..."); empty when there is none.
std::vector<std::string> card_row(const std::string& card, const std::string& target) {
  std::istringstream lines(card);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| " + target + " |", 0) != 0) continue;
    std::vector<std::string> cells;
    std::istringstream parts(line.substr(1));
    for (std::string cell; std::getline(parts, cell, '|');) {
      const size_t first = cell.find_first_not_of(' '), last = cell.find_last_not_of(' ');
      cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
    }
    return cells;
  }
  return {};
}

nlohmann::json shipped_models() {
  const auto listed = e3cpp("models --json");
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  return nlohmann::json::parse(listed.out);
}

// Each card's table gives, per target, the test MAE of test.json and the MAE on the embedded
// sample's molecules of the test split, which this recomputes; the directory holds no
// optimizer state and stays within 25 MB.
TEST(ShippedModels, EveryModelReproducesItsCardOnTheEmbeddedSample) {
  const auto models = shipped_models();
  ASSERT_GE(models.size(), 2u) << "models/ ships at least the dipole model and the model of all twelve targets";
  for (const auto& model : models) {
    const std::string path = model["path"];
    const std::string card = read_file(path + "/README.md");
    const auto sample = e3cpp("eval " + path + " --data " + sample_file() + " --subset --json --threads 2");
    ASSERT_EQ(sample.exit_code, 0) << sample.err;
    const auto errors = nlohmann::json::parse(sample.out);
    for (const auto& entry : model["targets"]) {
      const std::string target = entry["target"];
      const auto row = card_row(card, target);
      ASSERT_GE(row.size(), 4u) << path << "/README.md: no table row for " << target;
      EXPECT_EQ(row[1], entry["unit"].get<std::string>()) << path;
      EXPECT_EQ(row[2], printed(entry["mae"])) << path << ": the test split's MAE (test.json)";
      const auto& own = errors.contains("targets") ? errors["targets"][target] : errors;
      EXPECT_EQ(row[3], printed(own["mae"])) << path << ": the MAE on the sample's test molecules";
    }
    uintmax_t bytes = 0;
    for (const auto& file : std::filesystem::recursive_directory_iterator(path)) {
      if (file.is_regular_file()) bytes += file.file_size();
    }
    EXPECT_LE(bytes, uintmax_t{25} << 20) << path;
    EXPECT_FALSE(std::filesystem::exists(path + "/last.pt")) << path << ": no optimizer state";
  }
}

TEST(ShippedModels, PredictByNameEqualsPredictByPath) {
  TempDir dir;
  write_text(dir.file("water.xyz"), "3\nwater\nO 0 0 0.1173\nH 0 0.7572 -0.4692\nH 0 -0.7572 -0.4692\n");
  for (const auto& model : shipped_models()) {
    const std::string name = model["name"], path = model["path"];
    const auto by_name = e3cpp("predict --model " + name + " " + dir.file("water.xyz") + " --json");
    ASSERT_EQ(by_name.exit_code, 0) << by_name.err;
    EXPECT_EQ(by_name.out, e3cpp("predict " + path + " " + dir.file("water.xyz") + " --json").out);
    EXPECT_EQ(nlohmann::json::parse(by_name.out)["predictions"].size(), 1u);
  }
  expect_one_line_error(e3cpp("predict --model no-such-model " + dir.file("water.xyz")), 2,
                        "no shipped model 'no-such-model'");
}

TEST(ShippedModels, ModelsListsEveryModelWithItsTestError) {
  const auto text = e3cpp("models");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const auto& model : shipped_models()) {
    for (const auto& entry : model["targets"]) {
      const std::string row = model["name"].get<std::string>() + "\t";
      EXPECT_NE(text.out.find(row), std::string::npos) << text.out;
      EXPECT_NE(text.out.find("\t" + entry["target"].get<std::string>() + "\t"), std::string::npos) << text.out;
    }
  }
  // Another directory of models: $E3CPP_MODELS.
  TempDir dir;
  const auto none = run_process("E3CPP_MODELS=" + dir.path() + " " + std::string(E3CPP_BINARY) + " models");
  EXPECT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.out, "no shipped models in " + dir.path() + "\n");
}

}  // namespace
}  // namespace e3::testing
