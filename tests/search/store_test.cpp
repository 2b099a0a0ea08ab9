// The study store's operations against every database backend (instantiated by
// sqlite_store_test.cpp and postgresql_store_test.cpp).

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "files.h"
#include "store_test.h"

namespace e3::testing {

std::string unique_study_name() {
  static std::atomic<int> counter{0};
  return "test-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

search::StudyDefinition small_study(int64_t trials, int64_t epochs) {
  search::StudyDefinition study;
  study.seed = 1;
  study.space = search::SearchSpace::table_3_3();
  study.settings.trials = trials;
  study.settings.epochs = epochs;
  study.settings.targets = "mu,alpha";
  study.settings.runner = "synthetic";
  return study;
}

void StudyStoreTest::SetUp() {
  where_ = GetParam().make(dir_.path());
  if (!where_.unavailable.empty()) GTEST_SKIP() << where_.unavailable;
}

std::unique_ptr<search::StudyStore> StudyStoreTest::open() const {
  return search::StudyStore::open(where_.location, where_.name, search::StudyStore::Mode::create);
}

std::unique_ptr<search::StudyStore> StudyStoreTest::create(int64_t trials) const {
  auto store = open();
  auto study = small_study(trials);
  study.name = where_.name;
  store->define(study);
  std::vector<std::pair<int64_t, nlohmann::json>> configs;
  for (int64_t n = 0; n < trials; ++n) configs.emplace_back(n, study.trial_config(n));
  store->add_trials(configs);
  return store;
}

namespace {

using search::StudyStore;
using search::TrialResult;
using search::TrialState;

TrialResult complete_result(double mae) {
  TrialResult result;
  result.outcome = TrialResult::Outcome::complete;
  result.test = {{"mu", mae, 1.5, "D"}, {"alpha", 2 * mae, 8.0, "a0^3"}};
  result.best_score = mae;
  result.epochs_done = 3;
  return result;
}

void sleep_seconds(double seconds) { std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); }

TEST_P(StudyStoreTest, DefinesAStudyOnceAndReadsItBack) {
  auto store = open();
  EXPECT_FALSE(store->definition());
  auto study = small_study(5);
  study.name = where_.name;
  const auto stored = store->define(study);
  EXPECT_EQ(search::definition_difference(stored, study), "");
  EXPECT_EQ(stored.settings.to_json(), study.settings.to_json());
  // A second definition (another process's) does not replace the first.
  EXPECT_EQ(stored.uid.size(), 16u);
  auto other = study;
  other.seed = 2;
  EXPECT_EQ(store->define(other).seed, 1u);
  EXPECT_EQ(store->define(other).uid, stored.uid);
  EXPECT_EQ(search::definition_difference(*open()->definition(), study), "");

  study.settings.trials = 9;
  store->update_settings(study.settings);
  EXPECT_EQ(store->definition()->settings.trials, 9);
}

TEST_P(StudyStoreTest, QueuesTrialsOnce) {
  auto store = create(4);
  store->add_trials({{2, nlohmann::json{{"other", 1}}}, {4, nlohmann::json{{"new", 1}}}});
  const auto trials = store->trials();
  ASSERT_EQ(trials.size(), 5u);
  EXPECT_EQ(trials[2].config, small_study(4).trial_config(2));  // not replaced
  EXPECT_EQ(trials[4].config, (nlohmann::json{{"new", 1}}));
  for (const auto& trial : trials) EXPECT_EQ(trial.state, TrialState::queued);
}

TEST_P(StudyStoreTest, ClaimsEveryTrialExactlyOnceAcrossConnections) {
  constexpr int64_t kTrials = 24;
  create(kTrials);
  std::mutex mutex;
  std::vector<int64_t> claimed;
  std::vector<std::thread> workers;
  std::atomic<int> errors{0};
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      try {
        auto store = open();  // a connection of its own, as a worker process has
        const std::string worker = "worker-" + std::to_string(w);
        while (auto trial = store->claim(worker, "/runs", 60, 3)) {
          {
            std::lock_guard<std::mutex> lock(mutex);
            claimed.push_back(trial->number);
          }
          if (!store->finish(trial->number, worker, complete_result(0.1 * trial->number))) ++errors;
        }
      } catch (const std::exception& error) {
        ADD_FAILURE() << error.what();
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(errors, 0);
  std::sort(claimed.begin(), claimed.end());
  std::vector<int64_t> every(kTrials);
  for (int64_t n = 0; n < kTrials; ++n) every[n] = n;
  EXPECT_EQ(claimed, every);
  for (const auto& trial : open()->trials()) {
    EXPECT_EQ(trial.state, TrialState::complete);
    EXPECT_EQ(trial.attempts, 1);
    EXPECT_EQ(trial.run_dir, "/runs/" + search::trial_name(trial.number));
  }
}

TEST_P(StudyStoreTest, RequeuesATrialWhoseWorkerStoppedBeating) {
  auto store = create(3);
  const auto first = store->claim("a", "/runs-a", 1.0, 3);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->number, 0);
  EXPECT_EQ(first->attempts, 1);
  EXPECT_FALSE(first->resume);
  // Within the timeout the trial stays a's.
  EXPECT_EQ(store->claim("b", "/runs-b", 60.0, 3)->number, 1);
  EXPECT_TRUE(store->heartbeat(1, "b"));
  sleep_seconds(1.3);
  EXPECT_TRUE(store->heartbeat(1, "b"));  // b beats; a does not
  const auto stolen = store->claim("c", "/runs-c", 1.0, 3);
  ASSERT_TRUE(stolen);
  EXPECT_EQ(stolen->number, 0);
  EXPECT_EQ(stolen->attempts, 2);
  EXPECT_TRUE(stolen->resume);
  EXPECT_EQ(stolen->run_dir, "/runs-c/trial-0000");
  // a has lost it: nothing it does to the trial applies.
  EXPECT_FALSE(store->heartbeat(0, "a"));
  EXPECT_FALSE(store->record_validation(0, "a", {1, 10, {{"mu", 1.0, 1.0, "D"}}, 1.0}));
  EXPECT_FALSE(store->finish(0, "a", complete_result(1.0)));
  EXPECT_FALSE(store->fail(0, "a", "no"));
  EXPECT_FALSE(store->release(0, "a"));
  EXPECT_TRUE(store->heartbeat(0, "c"));
  EXPECT_EQ(store->trials()[0].worker, "c");
  EXPECT_EQ(store->trials()[0].state, TrialState::running);
}

TEST_P(StudyStoreTest, FailsATrialWhoseWorkersKeepDying) {
  auto store = create(2);
  ASSERT_EQ(store->claim("a", "/runs", 0.5, 2)->number, 0);
  sleep_seconds(0.7);
  ASSERT_EQ(store->claim("b", "/runs", 0.5, 2)->number, 0);  // requeued, attempt 2
  sleep_seconds(0.7);
  // Both claims died: the trial has failed, and the next one is claimed.
  const auto next = store->claim("c", "/runs", 0.5, 2);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->number, 1);
  const auto trial = store->trials()[0];
  EXPECT_EQ(trial.state, TrialState::failed);
  EXPECT_EQ(trial.attempts, 2);
  EXPECT_NE(trial.message.find("stopped sending heartbeats"), std::string::npos) << trial.message;
}

TEST_P(StudyStoreTest, RecordsValidationsResultsAndOutcomes) {
  auto store = create(3);
  ASSERT_EQ(store->claim("w", "/runs", 60, 3)->number, 0);
  EXPECT_TRUE(store->record_validation(0, "w", {1, 100, {{"mu", 0.5, 1.5, "D"}, {"alpha", 3.0, 8.0, "a0^3"}}, 0.35}));
  EXPECT_TRUE(store->record_validation(0, "w", {2, 200, {{"mu", 0.4, 1.5, "D"}, {"alpha", 2.0, 8.0, "a0^3"}}, 0.26}));
  // A resumed trial reports an epoch again: the record is replaced, not doubled.
  EXPECT_TRUE(store->record_validation(0, "w", {2, 200, {{"mu", 0.3, 1.5, "D"}, {"alpha", 2.0, 8.0, "a0^3"}}, 0.225}));
  const auto validations = store->validations(0);
  ASSERT_EQ(validations.size(), 2u);
  EXPECT_EQ(validations[1].epoch, 2);
  EXPECT_EQ(validations[1].molecules_seen, 200);
  EXPECT_EQ(validations[1].score, 0.225);
  ASSERT_EQ(validations[1].errors.size(), 2u);
  EXPECT_EQ(validations[1].errors[0].target, "mu");
  EXPECT_EQ(validations[1].errors[0].mae, 0.3);
  EXPECT_EQ(validations[1].errors[1].unit, "a0^3");
  EXPECT_EQ(store->trials()[0].best_score, 0.225);
  EXPECT_EQ(store->trials()[0].epochs_done, 2);

  ASSERT_EQ(store->claim("w", "/runs", 60, 3)->number, 1);
  EXPECT_TRUE(store->record_validation(1, "w", {2, 200, {{"mu", 0.1, 1.5, "D"}}, 0.1 / 3}));
  auto rung = store->rung_scores(2);
  std::sort(rung.begin(), rung.end());
  EXPECT_EQ(rung, (std::vector<double>{0.1 / 3, 0.225}));

  EXPECT_TRUE(store->finish(0, "w", complete_result(0.123456789012345678)));
  TrialResult pruned;
  pruned.outcome = TrialResult::Outcome::pruned;
  pruned.best_score = 0.5;
  pruned.epochs_done = 2;
  EXPECT_TRUE(store->finish(1, "w", pruned));
  ASSERT_EQ(store->claim("w", "/runs", 60, 3)->number, 2);
  EXPECT_TRUE(store->fail(2, "w", "training diverged at epoch 1"));

  const auto trials = open()->trials();
  EXPECT_EQ(trials[0].state, TrialState::complete);
  ASSERT_EQ(trials[0].test.size(), 2u);
  EXPECT_EQ(trials[0].test[0].target, "mu");
  EXPECT_EQ(trials[0].test[0].mae, 0.123456789012345678);  // doubles come back exactly
  EXPECT_EQ(trials[0].test[1].target, "alpha");
  EXPECT_EQ(trials[0].test[1].sigma, 8.0);
  EXPECT_EQ(trials[0].epochs_done, 3);
  EXPECT_EQ(trials[1].state, TrialState::pruned);
  EXPECT_TRUE(trials[1].test.empty());
  EXPECT_EQ(trials[2].state, TrialState::failed);
  EXPECT_EQ(trials[2].message, "training diverged at epoch 1");
  EXPECT_FALSE(store->claim("w", "/runs", 60, 3));
}

TEST_P(StudyStoreTest, ReleasedTrialsGoBackToTheQueueWithoutCountingTheAttempt) {
  auto store = create(2);
  ASSERT_EQ(store->claim("w", "/runs", 60, 1)->number, 0);
  EXPECT_TRUE(store->release(0, "w"));  // interrupted (Ctrl-C): not a failed attempt
  EXPECT_EQ(store->trials()[0].state, TrialState::queued);
  EXPECT_EQ(store->trials()[0].attempts, 0);
  EXPECT_FALSE(store->release(0, "w"));  // no longer w's
  const auto again = store->claim("v", "/other", 60, 1);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->number, 0);
  EXPECT_EQ(again->attempts, 1);
  EXPECT_TRUE(again->resume);  // it ran before: its run is resumed
  // However often it is interrupted, it has used one attempt.
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(store->release(0, "v"));
    ASSERT_EQ(store->claim("v", "/other", 60, 1)->number, 0);
  }
  EXPECT_EQ(store->trials()[0].attempts, 1);
  EXPECT_EQ(store->trials()[0].state, TrialState::running);
}

}  // namespace
}  // namespace e3::testing
