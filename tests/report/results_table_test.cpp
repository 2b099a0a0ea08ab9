// Table 3.5 for runs: rows, units, the thesis' columns, and every output format.

#include "e3/report/results_table.h"

#include <gtest/gtest.h>

#include "e3/report/thesis_results.h"

namespace e3::report {
namespace {

ResultsTable two_runs() {
  RunResult a;
  a.run = "runs/a";
  a.label = "a";
  a.data = "qm9.extxyz.gz";
  a.split = "test";
  a.molecules = 100;
  a.targets = {data::Target::homo, data::Target::mu};
  a.errors = {{0.0462, 0.06, 100}, {0.02, 0.03, 100}};
  a.readouts = {"mean", "dipole"};
  RunResult b = a;
  b.run = "runs/b";
  b.label = "b";
  b.targets = {data::Target::Cv};
  b.errors = {{0.05, 0.07, 100}};
  b.readouts = {"sum"};
  return {{a, b}, {"L1Net", "ARandNet"}};
}

TEST(ThesisResults, Table35) {
  EXPECT_EQ(thesis_models().size(), 7u);
  EXPECT_EQ(*thesis_mae("ARandNet", data::Target::mu), 0.009);
  EXPECT_EQ(*thesis_mae("L0Net", data::Target::H), 74);
  EXPECT_EQ(*thesis_mae("DimeNet", data::Target::Cv), 0.0249);
  EXPECT_EQ(*thesis_mae("BRandNet", data::Target::lumo), 1012.791);
  EXPECT_FALSE(thesis_mae("PaiNN", data::Target::mu));
}

TEST(ResultsTable, RowsInTableOrderEnergiesInMilliElectronvolts) {
  const auto text = to_markdown(two_runs());
  EXPECT_NE(text.find("| target | a | b | L1Net (thesis) | ARandNet (thesis) |"), std::string::npos) << text;
  // mu before homo (Table 2.1's order), homo in meV, a target a run lacks is "-".
  const auto mu = text.find("| mu (D) | 0.02 | - | 0.016 | 0.009 |");
  const auto homo = text.find("| homo (meV) | 46.2 | - | 80 | 46.25 |");
  EXPECT_NE(mu, std::string::npos) << text;
  EXPECT_NE(homo, std::string::npos) << text;
  EXPECT_LT(mu, homo);
  EXPECT_NE(text.find("| Cv (cal/(mol K)) | - | 0.05 | 0.073 | 0.031 |"), std::string::npos) << text;
  EXPECT_NE(text.find("the thesis' Table 3.5, on the full QM9"), std::string::npos);
  // Each run's readouts: how its heads turn atom outputs into a molecule's value.
  EXPECT_NE(text.find("a: 100 molecules of the test split of qm9.extxyz.gz; readouts: homo mean, mu dipole."),
            std::string::npos) << text;
}

TEST(ResultsTable, CsvAndJson) {
  const auto csv = to_csv(two_runs());
  EXPECT_EQ(csv,
            "target,unit,a,b,L1Net (thesis),ARandNet (thesis)\n"
            "mu,D,0.02,,0.016,0.009\n"
            "homo,meV,46.2,,80,46.246\n"
            "Cv,cal/(mol K),,0.05,0.073,0.031\n");
  const auto json = to_json(two_runs());
  EXPECT_EQ(json["units"]["homo"], "meV");
  EXPECT_DOUBLE_EQ(json["runs"][0]["mae"]["homo"].get<double>(), 46.2);
  EXPECT_EQ(json["runs"][1]["label"], "b");
  EXPECT_EQ(json["thesis"]["ARandNet"]["Cv"], 0.031);
  EXPECT_FALSE(json["runs"][1]["mae"].contains("mu"));
  EXPECT_EQ(json["runs"][0]["readouts"]["mu"], "dipole");
}

TEST(ResultsTable, TextIsAligned) {
  const auto text = to_text(two_runs());
  // The first column as wide as its longest label (Cv's), the others right-aligned.
  EXPECT_NE(text.find("target               a     b  L1Net (thesis)  ARandNet (thesis)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("homo (meV)        46.2     -              80              46.25\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace e3::report
