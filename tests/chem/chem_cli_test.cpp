// e3cpp predict, train and dataset on SMILES, CSV and SDF files as a user runs them, with the
// shared runs of the SharedRuns.Train fixture (tests/train/shared_runs.cmake).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "chem_test_files.h"
#include "cli.h"
#include "e3/data/molecule_stream.h"
#include "files.h"
#include "predictions.h"
#include "process.h"
#include "shared_runs.h"

namespace e3::testing {
namespace {

using chem::testing::sdf_record;

// Suites that read the shared runs.
class ChemCli : public SharedRunsTest {};

const std::string kLNet = shared_run("lnet");  // an L-Net on mu

// predict's text output: the header's columns by name and the rows' fields.
struct Table {
  std::map<std::string, size_t> columns;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  bool has(const std::string& column) const { return columns.count(column) > 0; }
  const std::string& at(size_t row, const std::string& column) const { return rows.at(row).at(columns.at(column)); }
};

Table parse_table(const std::string& text) {
  Table table;
  std::istringstream lines(text);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, '\t')) fields.push_back(cell);
    if (!line.empty() && line.back() == '\t') fields.push_back("");
    if (first) {
      table.header = fields;
      for (size_t c = 0; c < fields.size(); ++c) table.columns[fields[c]] = c;
      first = false;
    } else {
      EXPECT_EQ(fields.size(), table.header.size()) << "row: " << line;
      table.rows.push_back(fields);
    }
  }
  return table;
}

// A printed number (a test failure and NaN when the field is not one).
double number(const std::string& field) {
  try {
    size_t used = 0;
    const double value = std::stod(field, &used);
    EXPECT_EQ(used, field.size()) << "not a number: '" << field << "'";
    return value;
  } catch (const std::exception&) {
    ADD_FAILURE() << "not a number: '" << field << "'";
    return std::nan("");
  }
}

// The column index of `name` in `table`, checking that it is there.
size_t column(const Table& table, const std::string& name) {
  EXPECT_TRUE(table.has(name)) << "no column '" << name << "' in the header";
  return table.has(name) ? table.columns.at(name) : 0;
}

TEST_F(ChemCli, PredictSmilesKeepsABadLineAsAFlaggedRowInFileOrder) {
  TempDir dir;
  const std::string path = dir.file("molecules.smi");
  write_text(path, "CCO ethanol\nC1CC broken\nCO methanol\n");
  const auto result = e3cpp("predict " + kLNet + " " + path);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Table table = parse_table(result.out);
  ASSERT_TRUE(table.has("mu [D]")) << result.out;
  ASSERT_TRUE(table.has("flags")) << result.out;
  ASSERT_TRUE(table.has("geometry")) << result.out;
  EXPECT_EQ(table.header.back(), "flags") << result.out;
  EXPECT_LT(column(table, "geometry"), column(table, "flags")) << result.out;
  ASSERT_EQ(table.rows.size(), 3u) << result.out;
  EXPECT_EQ(table.at(0, "file"), path);
  EXPECT_EQ(table.at(0, "molecule"), "ethanol");
  EXPECT_EQ(table.at(1, "molecule"), "broken");
  EXPECT_EQ(table.at(2, "molecule"), "methanol");
  for (size_t row : {0, 2}) {
    EXPECT_TRUE(std::isfinite(number(table.at(row, "mu [D]")))) << result.out;
    EXPECT_EQ(table.at(row, "geometry"), "ETKDG+MMFF94") << result.out;
    EXPECT_EQ(table.at(row, "flags"), "-") << result.out;
  }
  EXPECT_EQ(table.at(1, "mu [D]"), "-") << result.out;
  EXPECT_EQ(table.at(1, "flags"), "bad_smiles") << result.out;
  // A warning names the file and the line.
  EXPECT_NE(result.err.find(path + ":2"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("bad_smiles"), std::string::npos) << result.err;
}

TEST_F(ChemCli, PredictJsonGivesABadLineANullValue) {
  TempDir dir;
  const std::string path = dir.file("molecules.smi");
  write_text(path, "CCO ethanol\nC1CC broken\nCO methanol\n");
  const auto result = e3cpp("predict " + kLNet + " " + path + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["target"], "mu");
  const auto& predictions = json["predictions"];
  ASSERT_EQ(predictions.size(), 3u) << result.out;
  EXPECT_EQ(predictions[0]["molecule"], "ethanol");
  EXPECT_EQ(predictions[1]["molecule"], "broken");
  EXPECT_EQ(predictions[2]["molecule"], "methanol");
  EXPECT_EQ(predictions[1]["file"], path);
  EXPECT_TRUE(predictions[1]["value"].is_null()) << predictions[1];
  EXPECT_EQ(predictions[1]["flags"], nlohmann::json::array({"bad_smiles"}));
  for (size_t i : {0, 2}) {
    EXPECT_TRUE(predictions[i]["value"].is_number()) << predictions[i];
    EXPECT_EQ(predictions[i]["flags"], nlohmann::json::array()) << predictions[i];
  }
  // The text output gives the same values.
  const Table table = parse_table(e3cpp("predict " + kLNet + " " + path).out);
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_NEAR(number(table.at(0, "mu [D]")), predictions[0]["value"].get<double>(), 1e-6);
  EXPECT_NEAR(number(table.at(2, "mu [D]")), predictions[2]["value"].get<double>(), 1e-6);
}

// --shard I/N splits the records of a SMILES file (a bad line counts) between N runs: each
// record once, with the flags of the whole file's run and its values to float32 rounding (each
// molecule is in another batch).
TEST_F(ChemCli, ShardsOfASmilesFileCoverEveryRecordOnce) {
  TempDir dir;
  const std::string path = dir.file("molecules.smi");
  write_text(path, "smiles name\nCCO ethanol\nC1CC broken\nCO methanol\nCC(=O)O acetic\nC#N hcn\n");
  const auto whole = nlohmann::json::parse(e3cpp("predict " + kLNet + " " + path + " --json").out)["predictions"];
  ASSERT_EQ(whole.size(), 5u);
  for (int64_t shard = 0; shard < 2; ++shard) {
    const auto result = e3cpp("predict " + kLNet + " " + path + " --json --shard " + std::to_string(shard) + "/2");
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto part = nlohmann::json::parse(result.out)["predictions"];
    ASSERT_EQ(part.size(), shard == 0 ? 3u : 2u) << result.out;
    for (size_t i = 0; i < part.size(); ++i) {
      expect_same_prediction(part[i], whole[2 * i + shard], "shard " + std::to_string(shard) + " row " + std::to_string(i));
    }
  }
}

// --conformers N averages each molecule over N conformers, with the spread beside the value;
// --all-conformers prints each conformer's own row.
TEST_F(ChemCli, PredictOverSeveralConformers) {
  TempDir dir;
  const std::string path = dir.file("molecules.smi");
  write_text(path, "CCCO propanol\nCO methanol\n");
  const auto averaged = e3cpp("predict " + kLNet + " " + path + " --conformers 3");
  ASSERT_EQ(averaged.exit_code, 0) << averaged.err;
  const Table table = parse_table(averaged.out);
  ASSERT_TRUE(table.has("mu [D]")) << averaged.out;
  ASSERT_TRUE(table.has("mu_std [D]")) << averaged.out;
  ASSERT_TRUE(table.has("conformers")) << averaged.out;
  EXPECT_EQ(table.header.back(), "flags") << averaged.out;
  ASSERT_EQ(table.rows.size(), 2u) << averaged.out;
  EXPECT_EQ(table.at(0, "molecule"), "propanol");
  EXPECT_EQ(table.at(1, "molecule"), "methanol");
  for (size_t row : {0, 1}) {
    EXPECT_EQ(table.at(row, "conformers"), "3") << averaged.out;
    EXPECT_GE(number(table.at(row, "mu_std [D]")), 0.0) << averaged.out;
  }

  const auto each = e3cpp("predict " + kLNet + " " + path + " --conformers 3 --all-conformers");
  ASSERT_EQ(each.exit_code, 0) << each.err;
  const Table rows = parse_table(each.out);
  ASSERT_EQ(rows.rows.size(), 6u) << each.out;
  const std::vector<std::string> expected = {"propanol:0", "propanol:1", "propanol:2",
                                             "methanol:0", "methanol:1", "methanol:2"};
  for (size_t r = 0; r < 6; ++r) EXPECT_EQ(rows.at(r, "molecule"), expected[r]) << each.out;
  // The averaged row is the mean of the conformers' values, its spread their standard deviation
  // (with n or n - 1, to the printed precision).
  for (size_t m = 0; m < 2; ++m) {
    std::vector<double> values;
    for (size_t c = 0; c < 3; ++c) values.push_back(number(rows.at(3 * m + c, "mu [D]")));
    double mean = 0;
    for (double v : values) mean += v / 3;
    double squares = 0;
    for (double v : values) squares += (v - mean) * (v - mean);
    EXPECT_NEAR(number(table.at(m, "mu [D]")), mean, 3e-6) << averaged.out << each.out;
    const double spread = number(table.at(m, "mu_std [D]"));
    EXPECT_TRUE(std::abs(spread - std::sqrt(squares / 3)) < 3e-6 || std::abs(spread - std::sqrt(squares / 2)) < 3e-6)
        << "spread " << spread << " of " << values[0] << ", " << values[1] << ", " << values[2];
  }
}

TEST_F(ChemCli, ConformersInJson) {
  TempDir dir;
  const std::string path = dir.file("molecules.smi");
  write_text(path, "CCCO propanol\nC1CC broken\n");
  const auto result = e3cpp("predict " + kLNet + " " + path + " --conformers 3 --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto predictions = nlohmann::json::parse(result.out)["predictions"];
  ASSERT_EQ(predictions.size(), 2u) << result.out;
  EXPECT_EQ(predictions[0]["molecule"], "propanol");
  EXPECT_EQ(predictions[0]["conformers"], 3);
  EXPECT_GE(predictions[0]["std"].get<double>(), 0.0);
  EXPECT_TRUE(predictions[0]["value"].is_number());
  EXPECT_EQ(predictions[0]["geometry"], "ETKDG+MMFF94");
  EXPECT_TRUE(predictions[1]["value"].is_null());
  EXPECT_EQ(predictions[1]["flags"], nlohmann::json::array({"bad_smiles"}));
}

TEST_F(ChemCli, BadInputIsAOneLineError) {
  TempDir dir;
  write_text(dir.file("a.smi"), "CCO ethanol\n");
  expect_one_line_error(e3cpp("predict " + kLNet + " " + dir.file("a.smi") + " --conformers 0"), 2, "conformers");
  expect_one_line_error(e3cpp("dataset " + dir.file("a.smi") + " --target-columns mu"), 2, "mu");
  write_text(dir.file("no-smiles.csv"), "name,mu\nethanol,1.0\n");
  expect_one_line_error(e3cpp("predict " + kLNet + " " + dir.file("no-smiles.csv")), 1, dir.file("no-smiles.csv"));
  expect_one_line_error(e3cpp("dataset " + dir.file("no-smiles.csv")), 1, "smiles");
  // A file of nothing but bad SMILES has no molecules for dataset.
  write_text(dir.file("bad.smi"), "C1CC broken\n");
  const auto empty = e3cpp("dataset " + dir.file("bad.smi"));
  EXPECT_EQ(empty.exit_code, 1) << empty.out << empty.err;
  EXPECT_NE(empty.err.find(dir.file("bad.smi")), std::string::npos) << empty.err;
}

// An SDF with QM9's coordinates is predicted as the XYZ file of the same molecules: the
// coordinates are the file's, not re-embedded.
TEST_F(ChemCli, PredictFromSdfCoordinatesEqualsPredictFromXyz) {
  TempDir dir;
  std::vector<data::Molecule> chosen;
  std::string sdf;
  data::MoleculeStream sample(sample_file());
  while (auto molecule = sample.next()) {
    const auto rounded = chem::testing::rounded_to_mol_block(*molecule);
    const auto bonds = chem::testing::bonds_by_distance(rounded);
    if (!chem::testing::is_saturated(rounded, bonds)) continue;
    chosen.push_back(rounded);
    sdf += sdf_record(rounded.id, chem::testing::mol_atoms(rounded), bonds);
    if (chosen.size() == 4) break;
  }
  ASSERT_EQ(chosen.size(), 4u) << "saturated molecules in the sample";
  write_text(dir.file("qm9.sdf"), sdf);
  write_text(dir.file("qm9.xyz"), chem::testing::xyz_text(chosen));
  const auto from_sdf = e3cpp("predict " + kLNet + " " + dir.file("qm9.sdf"));
  const auto from_xyz = e3cpp("predict " + kLNet + " " + dir.file("qm9.xyz"));
  ASSERT_EQ(from_sdf.exit_code, 0) << from_sdf.err;
  ASSERT_EQ(from_xyz.exit_code, 0) << from_xyz.err;
  const Table sdf_table = parse_table(from_sdf.out), xyz_table = parse_table(from_xyz.out);
  ASSERT_EQ(sdf_table.rows.size(), 4u) << from_sdf.out;
  ASSERT_EQ(xyz_table.rows.size(), 4u) << from_xyz.out;
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(sdf_table.at(i, "molecule"), chosen[i].id) << "the title line is the id";
    EXPECT_NEAR(number(sdf_table.at(i, "mu [D]")), number(xyz_table.at(i, "mu [D]")), 1.5e-6)
        << chosen[i].id << "\n"
        << from_sdf.out << from_xyz.out;
    if (sdf_table.has("geometry")) {
      const std::string geometry = sdf_table.at(i, "geometry");
      EXPECT_TRUE(geometry == "file" || geometry == "-" || geometry.empty()) << geometry;
    }
    EXPECT_EQ(sdf_table.at(i, "flags"), xyz_table.at(i, "flags")) << from_sdf.out << from_xyz.out;
  }
}

TEST_F(ChemCli, AChargedMoleculeIsPredictedAndFlagged) {
  TempDir dir;
  const std::string path = dir.file("ions.smi");
  write_text(path, "C[NH3+] methylammonium\nCCO ethanol\n");
  const auto result = e3cpp("predict " + kLNet + " " + path);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Table table = parse_table(result.out);
  ASSERT_EQ(table.rows.size(), 2u) << result.out;
  EXPECT_TRUE(std::isfinite(number(table.at(0, "mu [D]")))) << result.out;
  EXPECT_NE(table.at(0, "flags").find("charged"), std::string::npos) << result.out;
  EXPECT_EQ(table.at(1, "flags"), "-") << result.out;
  EXPECT_NE(result.err.find("charged"), std::string::npos) << result.err;
  const auto json = nlohmann::json::parse(e3cpp("predict " + kLNet + " " + path + " --json").out);
  const auto& flags = json["predictions"][0]["flags"];
  EXPECT_NE(std::find(flags.begin(), flags.end(), "charged"), flags.end()) << flags;
  EXPECT_TRUE(json["predictions"][0]["value"].is_number());
}

// A CSV of SMILES with the dipole in a column named otherwise trains a run, one bad row
// skipped with a warning; e3cpp dataset counts the target the same way.
TEST_F(ChemCli, TrainAndDatasetOnACsvWithATargetColumn) {
  TempDir dir;
  const std::string csv = dir.file("dipoles.csv");
  write_text(csv,
             "smiles,name,dipole\n"
             "C,methane,0.0\n"
             "CC,ethane,0.0\n"
             "CO,methanol,1.70\n"
             "CCO,ethanol,1.69\n"
             "C1CC,broken,1.0\n"
             "CN,methylamine,1.31\n"
             "CC=O,acetaldehyde,2.69\n"
             "C#N,cyanide,2.98\n"
             "OC=O,formic_acid,1.41\n");
  const std::string config = std::string(E3_SOURCE_DIR) + "/tests/train/files/small-lnet.json";
  const auto train = e3cpp("train --config " + config + " --data " + csv + " --target mu --target-columns mu=dipole" +
                           " --epochs 1 --split 6,1,1 --threads 1 --out " + dir.file("run"));
  ASSERT_EQ(train.exit_code, 0) << train.out << train.err;
  EXPECT_TRUE(std::filesystem::exists(dir.file("run/split.json"))) << train.out;
  EXPECT_NE(train.err.find(csv + ":6"), std::string::npos) << "the bad row is named: " << train.err;
  const auto split = nlohmann::json::parse(read_file(dir.file("run/split.json")));
  EXPECT_EQ(split["train"].size() + split["val"].size() + split["test"].size(), 8u);

  const auto dataset = e3cpp("dataset " + csv + " --target-columns mu=dipole --json");
  ASSERT_EQ(dataset.exit_code, 0) << dataset.err;
  const auto json = nlohmann::json::parse(dataset.out);
  EXPECT_EQ(json["molecules"], 8);
  EXPECT_EQ(json["targets"]["mu"]["count"], 8);
  EXPECT_NEAR(json["targets"]["mu"]["mean"].get<double>(), (0.0 + 0.0 + 1.70 + 1.69 + 1.31 + 2.69 + 2.98 + 1.41) / 8,
              1e-9);
  const auto unmapped = nlohmann::json::parse(e3cpp("dataset " + csv + " --json").out);
  EXPECT_EQ(unmapped["targets"]["mu"]["count"], 0) << "without the mapping the dipole column is no target";

  // The trained run predicts the CSV's molecules.
  const auto predict = e3cpp("predict " + dir.file("run") + " " + csv + " --json");
  ASSERT_EQ(predict.exit_code, 0) << predict.err;
  EXPECT_EQ(nlohmann::json::parse(predict.out)["predictions"].size(), 9u) << "8 molecules and the bad row";
}

}  // namespace
}  // namespace e3::testing
