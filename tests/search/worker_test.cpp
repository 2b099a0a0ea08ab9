// Workers in one process on an SQLite study with the synthetic runner: trials to the end,
// ASHA's decisions, interruption and resumption, failing trials.

#include "e3/search/worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "e3/search/asha.h"
#include "background_process.h"
#include "e3/search/synthetic_runner.h"
#include "files.h"
#include "store_test.h"

namespace e3::search {
namespace {

using testing::TempDir;

struct Study {
  std::unique_ptr<StudyStore> store, heartbeat_store;
  StudyDefinition definition;
  std::ostringstream log;

  // One worker on the study, its runs under `dir`/runs, until the study is done or `stop`.
  WorkerSummary work(TrialRunner& runner, const TempDir& dir, const std::atomic<bool>& stop) {
    return run_worker(*store, *heartbeat_store, runner, {"worker-1", dir.file("runs"), 0.05}, stop, log);
  }
  WorkerSummary work(TrialRunner& runner, const TempDir& dir) {
    const std::atomic<bool> never{false};
    return work(runner, dir, never);
  }
};

std::unique_ptr<Study> new_study(const TempDir& dir, const StudySettings& settings) {
  auto owner = std::make_unique<Study>();
  auto& study = *owner;
  study.store = StudyStore::open(dir.file("study.db"), "study", StudyStore::Mode::create);
  study.heartbeat_store = StudyStore::open(dir.file("study.db"), "study", StudyStore::Mode::open);
  study.definition = testing::small_study(settings.trials);
  study.definition.name = "study";
  study.definition.settings = settings;
  study.store->define(study.definition);
  std::vector<std::pair<int64_t, nlohmann::json>> trials;
  for (int64_t n = 0; n < settings.trials; ++n) trials.emplace_back(n, study.definition.trial_config(n));
  study.store->add_trials(trials);
  return owner;
}

StudySettings synthetic(int64_t trials, int64_t epochs) {
  StudySettings settings;
  settings.trials = trials;
  settings.epochs = epochs;
  settings.targets = "mu,alpha,gap";
  settings.runner = "synthetic";
  return settings;
}

TEST(Worker, RunsEveryTrialAndRecordsItsCurves) {
  TempDir dir;
  auto study = new_study(dir, synthetic(5, 4));
  SyntheticRunner runner;
  const auto summary = study->work(runner, dir);
  EXPECT_EQ(summary.trials, 5);
  EXPECT_FALSE(summary.interrupted);
  for (const auto& trial : study->store->trials()) {
    EXPECT_EQ(trial.state, TrialState::complete);
    EXPECT_EQ(trial.epochs_done, 4);
    const auto expected = SyntheticRunner::test_errors(trial.config, 4);
    ASSERT_EQ(trial.test.size(), 3u);
    for (size_t t = 0; t < 3; ++t) EXPECT_EQ(trial.test[t].mae, expected[t].mae);
    const auto validations = study->store->validations(trial.number);
    ASSERT_EQ(validations.size(), 4u);
    EXPECT_EQ(validations[3].score, normalized_error(SyntheticRunner::validation_errors(trial.config, 4)));
    // The trial's configuration, as a file beside its run directory.
    EXPECT_EQ(nlohmann::json::parse(testing::read_file(trial_config_file(trial.run_dir))), trial.config);
  }
  EXPECT_NE(study->log.str().find("worker-1: trial 4 complete, 4 epochs"), std::string::npos) << study->log.str();
}

TEST(Worker, PrunesExactlyWhereAshaSays) {
  // One worker runs the trials in order, so trial k's decision at a rung compares it with
  // the trials before it that reached the rung: replay that and compare.
  TempDir dir;
  auto settings = synthetic(27, 9);
  settings.prune = true;
  settings.asha = {3, 1};
  auto study = new_study(dir, settings);
  SyntheticRunner runner;
  study->work(runner, dir);

  const auto rungs = asha_rungs(settings.asha, settings.epochs);
  EXPECT_EQ(rungs, (std::vector<int64_t>{1, 3}));
  std::map<int64_t, std::vector<double>> reported;  // rung -> scores so far
  int64_t epochs = 0;
  for (const auto& trial : study->store->trials()) {
    int64_t expected_epochs = settings.epochs;
    for (int64_t rung : rungs) {
      const double score = normalized_error(SyntheticRunner::validation_errors(trial.config, rung));
      reported[rung].push_back(score);
      if (!asha_continues(score, reported[rung], 3)) {
        expected_epochs = rung;
        break;
      }
    }
    EXPECT_EQ(trial.epochs_done, expected_epochs) << "trial " << trial.number;
    EXPECT_EQ(trial.state, expected_epochs < settings.epochs ? TrialState::pruned : TrialState::complete);
    epochs += trial.epochs_done;
  }
  EXPECT_LT(epochs, 27 * 9 / 2) << "pruning should save more than half of the epochs here";
}

TEST(Worker, StopsSavesAndResumesWhereItStopped) {
  TempDir dir;
  auto study = new_study(dir, synthetic(3, 20));
  SyntheticRunner runner(0.01);
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    testing::eventually([&] { return study->heartbeat_store->validations(1).size() >= 3; }, 30);
    stop = true;
  });
  const auto first = study->work(runner, dir, stop);
  stopper.join();
  EXPECT_TRUE(first.interrupted);
  auto trials = study->store->trials();
  EXPECT_EQ(trials[0].state, TrialState::complete);
  EXPECT_EQ(trials[1].state, TrialState::queued);  // saved and put back
  EXPECT_GE(trials[1].epochs_done, 3);
  EXPECT_LT(trials[1].epochs_done, 20);
  EXPECT_EQ(trials[2].state, TrialState::queued);

  stop = false;
  const auto second = study->work(runner, dir, stop);
  EXPECT_FALSE(second.interrupted);
  trials = study->store->trials();
  for (const auto& trial : trials) EXPECT_EQ(trial.state, TrialState::complete);
  EXPECT_EQ(trials[1].attempts, 2);
  EXPECT_EQ(trials[1].test[0].mae, SyntheticRunner::test_errors(trials[1].config, 20)[0].mae);
  // It went on from its checkpoint: every epoch trained once.
  std::ifstream events(trials[1].run_dir + "/events.log");
  std::vector<std::string> lines;
  for (std::string line; std::getline(events, line);) lines.push_back(line);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("start ", 0), 0u);
  int epoch_lines = 0, resumes = 0;
  for (const auto& line : lines) {
    epoch_lines += line.rfind("epoch ", 0) == 0;
    resumes += line.rfind("resume ", 0) == 0;
  }
  EXPECT_EQ(epoch_lines, 20);
  EXPECT_EQ(resumes, 1);
}

TEST(Worker, KeepsToItsStudysRunsDirectory) {
  TempDir dir, other_dir;
  auto study = new_study(dir, synthetic(2, 1));
  auto other = new_study(other_dir, synthetic(2, 1));
  ASSERT_NE(study->store->definition()->uid, other->store->definition()->uid);
  SyntheticRunner runner;
  study->work(runner, dir);
  // The other study's worker pointed at the same runs directory would overwrite its trials.
  try {
    other->work(runner, dir);
    ADD_FAILURE() << "a second study used the runs directory";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              dir.file("runs") + " holds the trials of another study, " + dir.file("study.db") +
                  " (study 'study'): give this one its own --runs");
  }
  EXPECT_EQ(other->store->trials()[0].state, TrialState::queued);
}

// Fails every trial whose batch size is odd.
class OddBatchesFail : public TrialRunner {
 public:
  TrialResult run(const nlohmann::json& config, const std::string& run_dir, bool resume,
                  const ValidationCallback& on_validation, const std::atomic<bool>* stop) override {
    if (config["batch_size"].get<int64_t>() % 2) throw std::runtime_error("training diverged at epoch 1");
    return synthetic_.run(config, run_dir, resume, on_validation, stop);
  }
  void check(const nlohmann::json&, const std::string&) const override {}

 private:
  SyntheticRunner synthetic_;
};

TEST(Worker, RecordsAFailingTrialAndGoesOn) {
  TempDir dir;
  auto study = new_study(dir, synthetic(8, 2));
  OddBatchesFail runner;
  EXPECT_EQ(study->work(runner, dir).trials, 8);
  int failed = 0;
  for (const auto& trial : study->store->trials()) {
    const bool odd = trial.config["batch_size"].get<int64_t>() % 2;
    EXPECT_EQ(trial.state, odd ? TrialState::failed : TrialState::complete) << trial.number;
    if (odd) {
      EXPECT_EQ(trial.message, "training diverged at epoch 1");
    }
    failed += odd;
  }
  EXPECT_GT(failed, 0);
  EXPECT_LT(failed, 8);
}

}  // namespace
}  // namespace e3::search
