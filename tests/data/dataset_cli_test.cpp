// `e3cpp dataset` as a user runs it.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "data_test_files.h"
#include "cli.h"
#include "process.h"

namespace e3::data {
namespace {

using e3::testing::e3cpp;

TEST(DataCli, DescribesTheSampleAsJson) {
  const auto result = e3cpp("dataset " + testing::sample_file() + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["molecules"], 5022);
  EXPECT_GT(json["atoms_mean"].get<double>(), 17.0);
  EXPECT_LT(json["atoms_mean"].get<double>(), 19.0);
  EXPECT_EQ(json["atoms_max"], 29);
  for (const char* element : {"H", "C", "N", "O"}) EXPECT_GT(json["elements"][element].get<int>(), 0) << element;
  EXPECT_EQ(json["targets"].size(), 12u);
  EXPECT_EQ(json["targets"]["U0"]["unit"], "eV");
  EXPECT_EQ(json["targets"]["alpha"]["unit"], "a0^3");
  EXPECT_EQ(json["targets"]["Cv"]["unit"], "cal/(mol K)");
  EXPECT_EQ(json["targets"]["mu"]["count"], 5022);
  // QM9's gap averages about 0.25 Hartree = 6.9 eV: the value is converted.
  EXPECT_NEAR(json["targets"]["gap"]["mean"].get<double>(), 6.9, 0.2);
  EXPECT_GT(json["targets"]["gap"]["std"].get<double>(), 0.5);
}

TEST(DataCli, TextOutputAndOriginalFiles) {
  const auto result = e3cpp("dataset " + testing::original_qm9_file());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("molecules:  1\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("H 4 C 1"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("U0     eV           mean -1101.487799"), std::string::npos) << result.out;
}

TEST(DataCli, ErrorsAreOneLine) {
  const auto missing = e3cpp("dataset /nonexistent/qm9.extxyz");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(e3::testing::count_lines(missing.err), 1) << missing.err;
  EXPECT_NE(missing.err.find("/nonexistent/qm9.extxyz: no such file or directory"), std::string::npos) << missing.err;
  const auto usage = e3cpp("dataset");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_NE(usage.err.find("missing argument DATA"), std::string::npos) << usage.err;
}

}  // namespace
}  // namespace e3::data
