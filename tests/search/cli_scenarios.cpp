#include "cli_scenarios.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "e3/search/synthetic_runner.h"

namespace e3::testing {

std::string hpsearch(const std::string& arguments) { return std::string(E3CPP_BINARY) + " hpsearch " + arguments; }

std::string synthetic_study(const StudyLocation& where, const std::string& runs, int trials, int epochs,
                            double epoch_seconds) {
  std::ostringstream options;
  options << "--study '" << where.location << "' --name " << where.name << " --runs " << runs
          << " --runner synthetic --targets mu,alpha,gap --trials " << trials << " --epochs " << epochs
          << " --synthetic-epoch-seconds " << epoch_seconds << " --heartbeat-timeout 1";
  return options.str();
}

std::vector<search::TrialRecord> study_trials(const StudyLocation& where) {
  return search::StudyStore::open(where.location, where.name, search::StudyStore::Mode::open)->trials();
}

std::vector<search::TrialRecord> trials_so_far(const StudyLocation& where) {
  try {
    return study_trials(where);
  } catch (const search::StoreError&) {
    return {};
  }
}

std::vector<int> worker_pids(const std::string& out) {
  std::smatch match;
  std::vector<int> pids;
  if (!std::regex_search(out, match, std::regex("workers? \\(pid ([0-9 ]+),"))) return pids;
  std::istringstream list(match[1].str());
  for (int pid; list >> pid;) pids.push_back(pid);
  return pids;
}

std::vector<std::string> events(const std::string& run_dir) {
  std::ifstream in(run_dir + "/events.log");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> processes_in_turn(const std::vector<std::string>& lines) {
  std::vector<std::string> pids;
  for (const auto& line : lines) {
    std::istringstream words(line);
    std::string event, first, second;
    words >> event >> first >> second;
    const std::string pid = event == "epoch" ? second : first;  // "epoch N PID", "start PID", "resume PID N"
    if (pids.empty() || pids.back() != pid) pids.push_back(pid);
  }
  return pids;
}

void expect_trained_once(const search::TrialRecord& trial, int64_t epochs, const StudyLocation& where) {
  SCOPED_TRACE("trial " + std::to_string(trial.number));
  EXPECT_EQ(trial.state, search::TrialState::complete);
  int64_t last = 0;  // the last epoch trained or resumed from
  for (const auto& line : events(trial.run_dir)) {
    std::istringstream words(line);
    std::string event;
    words >> event;
    if (event == "start") {
      EXPECT_EQ(last, 0) << "a start after epoch " << last;
    } else if (event == "resume") {
      int64_t pid, epoch;
      words >> pid >> epoch;
      EXPECT_GE(epoch, last) << line;  // the checkpoint may hold an epoch whose event was not written
      last = epoch;
    } else {
      int64_t epoch;
      words >> epoch;
      EXPECT_EQ(epoch, last + 1) << "epoch trained twice or skipped: " << line;
      last = epoch;
    }
  }
  EXPECT_EQ(last, epochs);
  auto store = search::StudyStore::open(where.location, where.name, search::StudyStore::Mode::open);
  const auto validations = store->validations(trial.number);
  ASSERT_EQ(static_cast<int64_t>(validations.size()), epochs);
  for (int64_t e = 0; e < epochs; ++e) EXPECT_EQ(validations[e].epoch, e + 1);
  const auto expected = search::SyntheticRunner::test_errors(trial.config, epochs);
  ASSERT_EQ(trial.test.size(), expected.size());
  for (size_t t = 0; t < expected.size(); ++t) EXPECT_EQ(trial.test[t].mae, expected[t].mae);
}

void two_workers_never_run_the_same_trial(const StudyLocation& where, const std::string& dir) {
  const auto result = run_process(hpsearch(synthetic_study(where, dir + "/runs", 10, 4, 0.03) + " --workers 2"));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto pids = worker_pids(result.out);
  ASSERT_EQ(pids.size(), 2u) << result.out;
  std::set<std::string> workers;
  for (const auto& trial : study_trials(where)) {
    EXPECT_EQ(trial.attempts, 1) << "trial " << trial.number;
    expect_trained_once(trial, 4, where);
    // One start, and every event from one process: the worker the study recorded.
    const auto lines = events(trial.run_dir);
    ASSERT_FALSE(lines.empty());
    const std::string pid = lines.front().substr(lines.front().find(' ') + 1);
    EXPECT_EQ(lines.front(), "start " + pid);
    for (const auto& line : lines) EXPECT_EQ(line.substr(line.rfind(' ') + 1), pid) << line;
    EXPECT_EQ(trial.worker.substr(trial.worker.rfind(':') + 1), pid);
    workers.insert(trial.worker);
  }
  EXPECT_LE(workers.size(), 2u);
}

}  // namespace e3::testing
