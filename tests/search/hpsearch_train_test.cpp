// An end-to-end search with the real runner: 4 trials trained by e3cpp train's Trainer on a
// 100-molecule split of the embedded sample, 2 workers, the leaderboard, and the trials' run
// directories used as the normal runs they are.
//
// Today's trainer learns one L-Net target, so the space fixes model lnet and the study has one
// target. When the multi-target network (mlpnet, Figure 3.6) lands, this test gains the same
// search with a tiny Table 3.3-style space over two targets.

#include <gtest/gtest.h>

#include "cli_scenarios.h"
#include "e3/search/leaderboard.h"
#include "files.h"

namespace e3::testing {
namespace {

TEST(HpsearchTrain, FourTrialsOnTheSampleEndToEnd) {
  TempDir dir;
  write_text(dir.file("space.json"), R"({
    "model": "lnet",
    "representation": {"components": [8, 16]},
    "embedding_size": {"int": [8, 16]},
    "layers": {"int": [2, 3]},
    "radial_basis": {"choice": ["cosine", "gaussian", "bessel"]},
    "num_bases": {"int": [8, 12]},
    "max_radius": {"uniform": [4.0, 6.0]},
    "radial_layers": 1,
    "radial_hidden": {"int": [8, 16]},
    "batch_size": {"int": [8, 16]},
    "learning_rate": {"log_uniform": [1e-3, 1e-2]}
  })");
  const StudyLocation where{dir.file("study.db"), "hpsearch", ""};
  const auto result = run_process(hpsearch("--study " + where.location + " --space " + dir.file("space.json") +
                                           " --targets mu --data " + sample_file() +
                                           " --split 60,20,20 --trials 4 --epochs 1 --workers 2 --threads 1"));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("4/4 done (4 complete, 0 pruned, 0 failed)"), std::string::npos) << result.out;

  const auto trials = study_trials(where);
  ASSERT_EQ(trials.size(), 4u);
  for (const auto& trial : trials) {
    SCOPED_TRACE("trial " + std::to_string(trial.number));
    ASSERT_EQ(trial.state, search::TrialState::complete) << trial.message;
    ASSERT_EQ(trial.test.size(), 1u);
    EXPECT_EQ(trial.test[0].target, "mu");
    EXPECT_EQ(trial.test[0].unit, "D");
    EXPECT_GT(trial.test[0].sigma, 0.0);
    // The trial is a normal run: e3cpp eval gives its test MAE.
    const auto eval = run_process(std::string(E3CPP_BINARY) + " eval " + trial.run_dir + " --json --threads 1");
    ASSERT_EQ(eval.exit_code, 0) << eval.err;
    const auto json = nlohmann::json::parse(eval.out);
    EXPECT_EQ(json["molecules"], 20);
    EXPECT_NEAR(json["mae"].get<double>(), trial.test[0].mae, 1e-9 * trial.test[0].mae);
  }

  const auto report = run_process(hpsearch("--study " + where.location + " --report"));
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(count_lines(report.out), 2 + 1 + 4) << report.out;
  EXPECT_NE(report.out.find("mu [D]"), std::string::npos) << report.out;
  const auto best = run_process(hpsearch("--study " + where.location + " --best-for mu"));
  ASSERT_EQ(best.exit_code, 0) << best.err;
  const auto config = nlohmann::json::parse(read_file(best.out.substr(0, best.out.find('\n'))));
  EXPECT_EQ(config["model"], "lnet");
  EXPECT_EQ(config["targets"], "mu");
  EXPECT_EQ(config["epochs"], 1);
}

}  // namespace
}  // namespace e3::testing
