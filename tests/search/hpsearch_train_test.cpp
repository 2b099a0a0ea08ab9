// An end-to-end search with the real runner: 4 trials of the multi-target network (mlpnet,
// Figure 3.6) on two targets, from a tiny space of Table 3.3's keys, trained by e3cpp train's
// Trainer on a 100-molecule split of the embedded sample by 2 workers; the leaderboard, and the
// trials' run directories used as the normal runs they are. The real runner's checks.

#include <gtest/gtest.h>

#include <filesystem>

#include "cli_scenarios.h"
#include "e3/search/leaderboard.h"
#include "e3/search/trainer_runner.h"
#include "files.h"

namespace e3::testing {
namespace {

TEST(HpsearchTrain, FourTrialsOnTheSampleEndToEnd) {
  TempDir dir;
  write_text(dir.file("space.json"), R"({
    "model": "mlpnet",
    "representation": {"components": [8, 16]},
    "embedding_size": {"int": [8, 16]},
    "featurization_layers": {"int": [1, 2]},
    "output_representation": {"components": [4, 8]},
    "output_layers": 1,
    "output_mlp_layers": {"int": [1, 2]},
    "output_mlp_neurons": {"int": [4, 8]},
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
                                           " --targets mu,U0 --data " + sample_file() +
                                           " --split 60,20,20 --trials 4 --epochs 1 --workers 2 --threads 1"));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("4/4 done (4 complete, 0 pruned, 0 failed)"), std::string::npos) << result.out;

  const auto trials = study_trials(where);
  ASSERT_EQ(trials.size(), 4u);
  for (const auto& trial : trials) {
    SCOPED_TRACE("trial " + std::to_string(trial.number));
    ASSERT_EQ(trial.state, search::TrialState::complete) << trial.message;
    ASSERT_EQ(trial.test.size(), 2u);
    EXPECT_EQ(trial.test[0].target, "mu");
    EXPECT_EQ(trial.test[0].unit, "D");
    EXPECT_EQ(trial.test[1].target, "U0");
    EXPECT_EQ(trial.test[1].unit, "eV");
    EXPECT_GT(trial.test[0].sigma, 0.0);
    // The trial is a normal run: e3cpp eval gives its test MAE.
    const auto eval = run_process(std::string(E3CPP_BINARY) + " eval " + trial.run_dir + " --json --threads 1");
    ASSERT_EQ(eval.exit_code, 0) << eval.err;
    const auto json = nlohmann::json::parse(eval.out);
    EXPECT_EQ(json["molecules"], 20);
    for (const auto& error : trial.test) {
      EXPECT_NEAR(json["targets"][error.target]["mae"].get<double>(), error.mae, 1e-9 * error.mae) << error.target;
    }
  }

  const auto report = run_process(hpsearch("--study " + where.location + " --report"));
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(count_lines(report.out), 2 + 1 + 4) << report.out;
  EXPECT_NE(report.out.find("mu [D]"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("U0 [eV]"), std::string::npos) << report.out;
  const auto best = run_process(hpsearch("--study " + where.location + " --best-for mu"));
  ASSERT_EQ(best.exit_code, 0) << best.err;
  const auto config = nlohmann::json::parse(read_file(best.out.substr(0, best.out.find('\n'))));
  EXPECT_EQ(config["model"], "mlpnet");
  EXPECT_EQ(config["targets"], "mu,U0");
  EXPECT_EQ(config["epochs"], 1);
}

TEST(TrainerRunner, ATrialLogThatCannotBeOpenedFailsTheTrialNamingIt) {
  TempDir dir;
  const std::string run_dir = dir.file("trial-0000");
  std::filesystem::create_directory(run_dir + ".log");  // where the log goes, a directory
  search::TrainerRunner runner;
  try {
    runner.run({{"targets", "mu"}, {"epochs", 1}}, run_dir, false, [](const search::ValidationReport&) { return true; },
               nullptr);
    ADD_FAILURE() << "the trial ran without its log";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()), run_dir + ".log: cannot open the trial's log (Is a directory)");
  }
  EXPECT_FALSE(std::filesystem::exists(run_dir)) << "nothing may start";
}

}  // namespace
}  // namespace e3::testing
