// Workers in one process on an SQLite study with the synthetic runner: trials to the end,
// ASHA's decisions, interruption and resumption, failing and diverging trials, a worker whose
// heartbeat cannot reach the study.

#include "e3/search/worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <thread>

#include "e3/search/asha.h"
#include "background_process.h"
#include "cli.h"
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
  EXPECT_EQ(trials[1].attempts, 0);  // an interruption is not a failed attempt
  EXPECT_GE(trials[1].epochs_done, 3);
  EXPECT_LT(trials[1].epochs_done, 20);
  EXPECT_EQ(trials[2].state, TrialState::queued);

  stop = false;
  const auto second = study->work(runner, dir, stop);
  EXPECT_FALSE(second.interrupted);
  trials = study->store->trials();
  for (const auto& trial : trials) EXPECT_EQ(trial.state, TrialState::complete);
  EXPECT_EQ(trials[1].attempts, 1);
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

// The synthetic runner, with `value` (NaN, infinity) as the error on mu of every trial's second
// validation, or of its test.
class Diverges : public TrialRunner {
 public:
  enum class Where { validation, test };
  Diverges(double value, Where where) : value_(value), where_(where) {}

  TrialResult run(const nlohmann::json& config, const std::string& run_dir, bool resume,
                  const ValidationCallback& on_validation, const std::atomic<bool>* stop) override {
    auto result = synthetic_.run(
        config, run_dir, resume,
        [&](const ValidationReport& report) {
          auto reported = report;
          if (where_ == Where::validation && report.epoch == 2) {
            reported.errors[0].mae = value_;
            reported.score = normalized_error(reported.errors);
          }
          return on_validation(reported);
        },
        stop);
    if (where_ == Where::test && !result.test.empty()) result.test[0].mae = value_;
    return result;
  }
  void check(const nlohmann::json&, const std::string&) const override {}

 private:
  SyntheticRunner synthetic_;
  double value_;
  Where where_;
};

TEST(Worker, FailsATrialWhoseErrorIsNotFinite) {
  for (const double value : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    const std::string text = std::isnan(value) ? "nan" : "inf";
    SCOPED_TRACE(text);
    {
      TempDir dir;
      auto settings = synthetic(2, 3);
      settings.prune = true;  // a rung at epoch 2, where the error diverges
      settings.asha = {2, 2};
      auto study = new_study(dir, settings);
      Diverges runner(value, Diverges::Where::validation);
      EXPECT_EQ(study->work(runner, dir).trials, 2);  // the worker goes on
      for (const auto& trial : study->store->trials()) {
        EXPECT_EQ(trial.state, TrialState::failed);
        EXPECT_EQ(trial.message, "the validation after epoch 2 is not finite (score " + text + "; MAE mu " + text +
                                     "): the training diverged");
        // Neither the study nor ASHA saw it: only the first validation is recorded.
        EXPECT_EQ(study->store->validations(trial.number).size(), 1u);
        EXPECT_EQ(trial.epochs_done, 1);
        ASSERT_TRUE(trial.best_score);
        EXPECT_TRUE(std::isfinite(*trial.best_score));
      }
      EXPECT_TRUE(study->store->rung_scores(2).empty());
    }
    {
      TempDir dir;
      auto study = new_study(dir, synthetic(1, 2));
      Diverges runner(value, Diverges::Where::test);
      EXPECT_EQ(study->work(runner, dir).trials, 1);
      const auto trial = study->store->trials()[0];
      EXPECT_EQ(trial.state, TrialState::failed);
      EXPECT_EQ(trial.message, "the test MAE is not finite (mu " + text + ")");
      EXPECT_TRUE(trial.test.empty());
    }
  }
}

// A connection to a study that the test can cut: while `cut` is set, every operation fails as
// on a database that cannot be reached.
class CuttableStore : public StudyStore {
 public:
  CuttableStore(std::unique_ptr<StudyStore> store, const std::atomic<bool>& cut) : store_(std::move(store)), cut_(cut) {}

  std::string description() const override { return store_->description(); }
  void set_retry_limit(double seconds) override { store_->set_retry_limit(seconds); }
  std::optional<StudyDefinition> definition() override { return reach().definition(); }
  StudyDefinition define(const StudyDefinition& definition) override { return reach().define(definition); }
  void update_settings(const StudySettings& settings) override { reach().update_settings(settings); }
  void add_trials(const std::vector<std::pair<int64_t, nlohmann::json>>& trials) override { reach().add_trials(trials); }
  std::optional<ClaimedTrial> claim(const std::string& worker, const std::string& runs_dir, double heartbeat_timeout,
                                    int64_t max_attempts) override {
    return reach().claim(worker, runs_dir, heartbeat_timeout, max_attempts);
  }
  bool heartbeat(int64_t number, const std::string& worker) override { return reach().heartbeat(number, worker); }
  bool record_validation(int64_t number, const std::string& worker, const ValidationReport& report) override {
    return reach().record_validation(number, worker, report);
  }
  std::vector<double> rung_scores(int64_t epoch) override { return reach().rung_scores(epoch); }
  bool finish(int64_t number, const std::string& worker, const TrialResult& result) override {
    return reach().finish(number, worker, result);
  }
  bool fail(int64_t number, const std::string& worker, const std::string& message) override {
    return reach().fail(number, worker, message);
  }
  bool release(int64_t number, const std::string& worker) override { return reach().release(number, worker); }
  std::vector<TrialRecord> trials() override { return reach().trials(); }
  std::vector<ValidationReport> validations(int64_t number) override { return reach().validations(number); }

 private:
  StudyStore& reach() {
    if (cut_) throw StoreError(store_->description() + ": cannot reach the study database (cut by the test)");
    return *store_;
  }

  std::unique_ptr<StudyStore> store_;
  const std::atomic<bool>& cut_;
};

// When each run of a trial began and ended, and for which worker.
struct RunSpan {
  std::string worker;
  std::chrono::steady_clock::time_point start, end;
};

// A runner that records its runs' spans.
class RecordedRunner : public TrialRunner {
 public:
  RecordedRunner(TrialRunner& runner, std::string worker, std::vector<RunSpan>& spans, std::mutex& mutex)
      : runner_(runner), worker_(std::move(worker)), spans_(spans), mutex_(mutex) {}

  TrialResult run(const nlohmann::json& config, const std::string& run_dir, bool resume,
                  const ValidationCallback& on_validation, const std::atomic<bool>* stop) override {
    const auto start = std::chrono::steady_clock::now();
    struct Record {
      RecordedRunner& runner;
      std::chrono::steady_clock::time_point start;
      ~Record() {
        std::lock_guard<std::mutex> lock(runner.mutex_);
        runner.spans_.push_back({runner.worker_, start, std::chrono::steady_clock::now()});
      }
    } record{*this, start};
    return runner_.run(config, run_dir, resume, on_validation, stop);
  }
  void check(const nlohmann::json& config, const std::string& origin) const override { runner_.check(config, origin); }

 private:
  TrialRunner& runner_;
  std::string worker_;
  std::vector<RunSpan>& spans_;
  std::mutex& mutex_;
};

double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

TEST(Worker, StopsItsTrialWhenItsHeartbeatCannotReachTheStudy) {
  TempDir dir;
  auto settings = synthetic(1, 2);
  settings.heartbeat_timeout = 1.0;
  auto study = new_study(dir, settings);
  // Worker a's heartbeat goes through a connection the test cuts; worker b has its own.
  std::atomic<bool> cut{false};
  CuttableStore a_heartbeat(StudyStore::open(dir.file("study.db"), "study", StudyStore::Mode::open), cut);
  // Epochs longer than the heartbeat timeout: while one trains, only the heartbeat speaks for it.
  SyntheticRunner synthetic(1.5);
  std::vector<RunSpan> spans;
  std::mutex mutex;
  RecordedRunner a_runner(synthetic, "a", spans, mutex), b_runner(synthetic, "b", spans, mutex);
  const std::atomic<bool> never{false};
  std::ostringstream a_log;
  std::string a_error;
  std::thread a([&] {
    try {
      run_worker(*study->store, a_heartbeat, a_runner, {"worker-a", dir.file("runs"), 0.05}, never, a_log);
    } catch (const StoreError& error) {
      a_error = error.what();
    }
  });
  auto observer = StudyStore::open(dir.file("study.db"), "study", StudyStore::Mode::open);
  ASSERT_TRUE(testing::eventually([&] { return observer->trials()[0].state == TrialState::running; }, 30));
  cut = true;
  const auto cut_at = std::chrono::steady_clock::now();

  // b takes the trial over once its heartbeat is a timeout old, and runs it to the end.
  auto b_store = StudyStore::open(dir.file("study.db"), "study", StudyStore::Mode::open);
  auto b_heartbeat = StudyStore::open(dir.file("study.db"), "study", StudyStore::Mode::open);
  std::ostringstream b_log;
  EXPECT_EQ(run_worker(*b_store, *b_heartbeat, b_runner, {"worker-b", dir.file("runs"), 0.05}, never, b_log).trials, 1);
  a.join();

  // a stopped its trial within half the heartbeat timeout of its last heartbeat (the cut, at
  // the latest), before b began it: one worker at a time.
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].worker, "a");
  EXPECT_EQ(spans[1].worker, "b");
  EXPECT_LT(seconds_between(cut_at, spans[0].end), 0.5 + 0.3);
  EXPECT_LE(spans[0].end, spans[1].start) << "a still ran the trial " << seconds_between(spans[1].start, spans[0].end)
                                          << " s after b took it over";
  // It said so, once, and stopped working.
  EXPECT_EQ(a_error.find('\n'), std::string::npos) << a_error;
  EXPECT_NE(a_error.find("no heartbeat reached the study database for 0.5 s (half the heartbeat timeout; last "
                         "error: "),
            std::string::npos)
      << a_error;
  EXPECT_NE(a_error.find("cut by the test"), std::string::npos) << a_error;
  EXPECT_NE(a_error.find("this worker stopped trial 0 before another may take it over"), std::string::npos) << a_error;
  EXPECT_EQ(testing::count_occurrences(a_log.str(), "worker-a: trial 0 stopped: "), 1u) << a_log.str();
  const auto trial = study->store->trials()[0];
  EXPECT_EQ(trial.state, TrialState::complete);
  EXPECT_EQ(trial.worker, "worker-b");
  EXPECT_EQ(trial.attempts, 2);  // a's, which ended without a word to the study, counts
}

}  // namespace
}  // namespace e3::search
