// e3cpp report and e3cpp compare on the shared runs (tests/train/shared_runs.cmake): lnet (mu,
// one epoch) and mlpnet (every target, two epochs).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "cli.h"
#include "files.h"
#include "process.h"
#include "shared_runs.h"

namespace e3::testing {
namespace {

// Suites that read the shared runs.
class ReportCli : public SharedRunsTest {};
class CompareCli : public SharedRunsTest {};

const std::string kLNet = shared_run("lnet");
const std::string kMLPNet = shared_run("mlpnet");

TEST_F(ReportCli, TableOfTwoRunsMatchesTheirEvaluation) {
  const auto result = e3cpp("report " + kLNet + " " + kMLPNet + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["runs"].size(), 2u);
  EXPECT_EQ(json["runs"][0]["label"], "lnet");
  EXPECT_EQ(json["runs"][0]["mae"].size(), 1u);
  EXPECT_EQ(json["runs"][1]["mae"].size(), 12u);
  EXPECT_EQ(json["units"]["U0"], "meV");
  EXPECT_EQ(json["thesis"]["L1Net"]["mu"], 0.016);
  // The same numbers as eval, energies in meV.
  const auto eval = nlohmann::json::parse(e3cpp("eval " + kMLPNet + " --json").out);
  EXPECT_DOUBLE_EQ(json["runs"][1]["mae"]["U0"].get<double>(), 1000.0 * eval["targets"]["U0"]["mae"].get<double>());
  EXPECT_DOUBLE_EQ(json["runs"][1]["mae"]["mu"].get<double>(), eval["targets"]["mu"]["mae"].get<double>());

  const auto markdown = e3cpp("report " + kLNet + " " + kMLPNet + " --markdown");
  EXPECT_EQ(markdown.out.rfind("| target | lnet | mlpnet | L0Net (thesis) | L1Net (thesis) | ARandNet (thesis) |\n", 0),
            0u)
      << markdown.out;
  EXPECT_EQ(count_occurrences(markdown.out, "\n| "), 12u) << markdown.out;  // a row per target after the header
  const auto csv = e3cpp("report " + kMLPNet + " --csv --reference none");
  EXPECT_EQ(count_lines(csv.out), 13);
  EXPECT_EQ(csv.out.rfind("target,unit,mlpnet\n", 0), 0u) << csv.out;
}

TEST_F(CompareCli, WritesAReadableFigure) {
  TempDir dir;
  const auto result = e3cpp("compare " + kLNet + " " + kMLPNet + " --target mu --out " + dir.file("mu.svg"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string svg = read_file(dir.file("mu.svg"));
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(count_occurrences(svg, "<polyline"), 2u);
  EXPECT_NE(svg.find(">lnet</text>"), std::string::npos);  // the legend
  EXPECT_NE(svg.find(">mlpnet</text>"), std::string::npos);
  EXPECT_NE(svg.find("validation MAE of mu (D, log scale)"), std::string::npos);
  EXPECT_EQ(count_occurrences(svg, "<circle"), 3u);  // one validation of lnet, two of mlpnet
  // Every element is closed: as many "<" openings of each kind as closings.
  for (const char* tag : {"text", "circle", "title"}) {
    EXPECT_EQ(count_occurrences(svg, std::string("<") + tag + " ") + count_occurrences(svg, std::string("<") + tag + ">"),
              count_occurrences(svg, std::string("</") + tag + ">"))
        << tag;
  }
  // The score of runs of different targets, against molecules seen.
  const auto score = e3cpp("compare " + kLNet + " " + kMLPNet + " --metric val_score --x molecules --out " +
                           dir.file("score.svg"));
  ASSERT_EQ(score.exit_code, 0) << score.err;
  EXPECT_NE(read_file(dir.file("score.svg")).find("training molecules seen"), std::string::npos);
}

TEST_F(CompareCli, BadInputGivesOneLineErrors) {
  TempDir dir;
  const std::string out = " --out " + dir.file("x.svg");
  expect_one_line_error(e3cpp("compare " + kLNet + " " + kMLPNet + out), 1, "give --target");
  expect_one_line_error(e3cpp("compare " + kLNet + " " + kMLPNet + " --target U0" + out), 1,
               kLNet + " has no target U0 (its targets: mu)");
  expect_one_line_error(e3cpp("compare " + kLNet + " --target energy" + out), 2, "unknown target 'energy'");
  expect_one_line_error(e3cpp("compare " + kLNet + " --metric loss" + out), 2, "--metric must be val_mae, val_rmse or val_score");
  expect_one_line_error(e3cpp("compare " + kLNet + " --x hours" + out), 2, "--x must be epoch, step, molecules or minutes");
  expect_one_line_error(e3cpp("compare " + dir.path() + out), 1, "not an e3cpp run directory");
  expect_one_line_error(e3cpp("compare " + kLNet), 2, "give --out FIGURE.svg");
  expect_one_line_error(e3cpp("report " + dir.path()), 1, "not an e3cpp run directory");
  expect_one_line_error(e3cpp("report " + kLNet + " --reference SchNet"), 2, "'SchNet' is not a column of Table 3.5");
  expect_one_line_error(e3cpp("report " + kLNet + " --csv --json"), 2, "at most one of --markdown, --csv and --json");
}

}  // namespace
}  // namespace e3::testing
