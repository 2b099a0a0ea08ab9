// e3cpp hpsearch on SQLite studies with synthetic learning curves: workers, killed workers,
// a worker cut off from its database, Ctrl-C, resuming, the leaderboard, bad input.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include "background_process.h"
#include "cli_scenarios.h"
#include "e3/search/leaderboard.h"
#include "e3/search/synthetic_runner.h"
#include "cli.h"
#include "files.h"

namespace e3::testing {
namespace {

using search::TrialState;

StudyLocation sqlite_study(const TempDir& dir) { return {dir.file("study.db"), "study", ""}; }

int64_t count(const std::vector<search::TrialRecord>& trials, TrialState state) {
  return std::count_if(trials.begin(), trials.end(), [&](const auto& t) { return t.state == state; });
}

TEST(HpsearchCli, PrintsTable33AsASpaceFile) {
  const auto result = run_process(hpsearch("--print-space"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(nlohmann::ordered_json::parse(result.out), search::SearchSpace::table_3_3().to_json());
  const auto help = run_process(hpsearch("--help"));
  EXPECT_NE(help.out.find("SQLite is not safe on network file systems"), std::string::npos) << help.out;
  EXPECT_EQ(help.out.find("worker-process"), std::string::npos) << "the workers' own flag is not for users";
}

TEST(HpsearchCli, TheSameSeedGivesTheSameStudyWithOneOrThreeWorkers) {
  TempDir dir;
  const StudyLocation one{dir.file("one.db"), "study", ""}, three{dir.file("three.db"), "study", ""};
  for (const auto& [where, workers] : {std::pair{one, 1}, std::pair{three, 3}}) {
    const auto result = run_process(hpsearch(synthetic_study(where, dir.file("runs-" + std::to_string(workers)), 9, 3,
                                                             0.01) +
                                             " --seed 11 --workers " + std::to_string(workers)));
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  }
  const auto a = study_trials(one), b = study_trials(three);
  ASSERT_EQ(a.size(), 9u);
  ASSERT_EQ(b.size(), 9u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].config, b[i].config) << "trial " << i;
    EXPECT_EQ(a[i].state, TrialState::complete);
    EXPECT_EQ(b[i].state, TrialState::complete);
    ASSERT_EQ(a[i].test.size(), 3u);
    for (size_t t = 0; t < 3; ++t) EXPECT_EQ(a[i].test[t].mae, b[i].test[t].mae);
  }
  EXPECT_NE(a[0].config, a[1].config);
}

TEST(HpsearchCli, TwoWorkersNeverRunTheSameTrial) {
  TempDir dir;
  two_workers_never_run_the_same_trial(sqlite_study(dir), dir.path());
}

// The trial a worker holds once it has trained at least `epochs` epochs, and that worker's pid.
std::pair<search::TrialRecord, int> running_trial(const StudyLocation& where, int64_t epochs) {
  for (const auto& trial : trials_so_far(where)) {
    if (trial.state == TrialState::running && trial.epochs_done >= epochs) {
      return {trial, std::stoi(trial.worker.substr(trial.worker.rfind(':') + 1))};
    }
  }
  return {{}, 0};
}

TEST(HpsearchCli, AKilledWorkersTrialIsRequeuedAndFinished) {
  TempDir dir;
  const auto where = sqlite_study(dir);
  BackgroundProcess search(hpsearch(synthetic_study(where, dir.file("runs"), 4, 10, 0.05) + " --workers 2"));
  std::pair<search::TrialRecord, int> victim;
  ASSERT_TRUE(eventually(
      [&] {
        victim = running_trial(where, 3);
        return victim.second != 0;
      },
      30))
      << search.out() << search.err();
  kill(victim.second, SIGKILL);
  // The other worker finishes its trials, then takes over the dead one's once its heartbeat is
  // a second old; the command reports the worker that died.
  const auto exit_code = search.wait(60);
  ASSERT_TRUE(exit_code) << search.out();
  EXPECT_EQ(*exit_code, 1);
  EXPECT_NE(search.err().find("worker " + std::to_string(victim.second) + " exited with status 137"), std::string::npos)
      << search.err();
  const auto trials = study_trials(where);
  for (const auto& trial : trials) expect_trained_once(trial, 10, where);
  const auto& taken_over = trials[victim.first.number];
  EXPECT_EQ(taken_over.attempts, 2);
  EXPECT_NE(taken_over.worker, victim.first.worker);
  const auto lines = events(taken_over.run_dir);
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const auto& l) { return l.rfind("resume ", 0) == 0; }));
}

TEST(HpsearchCli, TheStudyResumesAfterEveryWorkerIsKilled) {
  TempDir dir;
  const auto where = sqlite_study(dir);
  const std::string command = hpsearch(synthetic_study(where, dir.file("runs"), 4, 8, 0.05) + " --workers 2");
  {
    BackgroundProcess search(command);
    ASSERT_TRUE(eventually(
        [&] {
          const auto trials = trials_so_far(where);
          return count(trials, TrialState::complete) >= 1 && running_trial(where, 2).second != 0 &&
                 count(trials, TrialState::running) == 2;
        },
        30))
        << search.out() << search.err();
    const auto pids = worker_pids(search.out());
    ASSERT_EQ(pids.size(), 2u) << search.out();
    for (int pid : pids) kill(pid, SIGKILL);
    search.signal(SIGKILL);
    ASSERT_TRUE(search.wait(10));
  }
  const auto killed = study_trials(where);
  ASSERT_EQ(count(killed, TrialState::running), 2) << "the dead workers' trials are still marked running";
  const auto resumed = run_process(command);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  const auto trials = study_trials(where);
  for (const auto& trial : trials) expect_trained_once(trial, 8, where);
  for (const auto& trial : killed) {
    if (trial.state == TrialState::running) {
      EXPECT_EQ(trials[trial.number].attempts, 2) << trial.number;
    }
  }
}

TEST(HpsearchCli, AWorkerCutOffFromItsDatabaseStopsItsTrialBeforeAnotherMayTakeIt) {
  TempDir dir;
  const auto where = sqlite_study(dir);
  // One trial whose epoch outlasts the heartbeat timeout: while it trains, only its heartbeat
  // speaks for it.
  const std::string command =
      hpsearch("--study " + where.location + " --name study --runs " + dir.file("runs") +
               " --runner synthetic --targets mu --trials 1 --epochs 1 --synthetic-epoch-seconds 3"
               " --heartbeat-timeout 2");
  BackgroundProcess first(command);
  ASSERT_TRUE(eventually(
      [&] {
        const auto trials = trials_so_far(where);
        return !trials.empty() && trials[0].state == TrialState::running;
      },
      30))
      << first.out() << first.err();
  const std::string run_dir = dir.file("runs") + "/" + search::trial_name(0);
  {
    // Another process holds the database's write lock: no heartbeat gets through.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(where.location.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    // Past the end of the epoch, had the worker gone on training.
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    EXPECT_EQ(events(run_dir).size(), 1u)
        << "the worker trained on without a heartbeat: " << read_file(run_dir + "/events.log");
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  const auto exit_code = first.wait(30);
  ASSERT_TRUE(exit_code) << first.out() << first.err();
  EXPECT_EQ(*exit_code, 1) << first.out() << first.err();
  EXPECT_EQ(
      count_occurrences(first.err(), "no heartbeat reached the study database for 1 s (half the heartbeat timeout)"), 1u)
      << first.err();
  // The same command resumes the study; its worker runs the trial after the first one stopped.
  const auto resumed = run_process(command);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  const auto trial = study_trials(where).at(0);
  expect_trained_once(trial, 1, where);
  const auto first_pids = worker_pids(first.out()), resumed_pids = worker_pids(resumed.out);
  ASSERT_EQ(first_pids.size(), 1u) << first.out();
  ASSERT_EQ(resumed_pids.size(), 1u) << resumed.out;
  EXPECT_EQ(processes_in_turn(events(run_dir)),
            (std::vector<std::string>{std::to_string(first_pids[0]), std::to_string(resumed_pids[0])}))
      << read_file(run_dir + "/events.log");
  EXPECT_EQ(trial.attempts, 2);  // the first worker's, which ended without a word to the study, counts
}

TEST(HpsearchCli, CtrlCSavesTheTrialsAndTheSameCommandResumes) {
  TempDir dir;
  const auto where = sqlite_study(dir);
  const std::string command = hpsearch(synthetic_study(where, dir.file("runs"), 4, 10, 0.05) + " --workers 2");
  {
    BackgroundProcess search(command);
    ASSERT_TRUE(eventually([&] { return running_trial(where, 2).second != 0; }, 30)) << search.out() << search.err();
    search.signal(SIGINT);
    const auto exit_code = search.wait(20);
    ASSERT_TRUE(exit_code);
    EXPECT_EQ(*exit_code, 130) << search.out() << search.err();
    EXPECT_NE(search.out().find("interrupted: the workers saved their trials; the same command resumes the study"),
              std::string::npos)
        << search.out();
  }
  const auto stopped = study_trials(where);
  EXPECT_EQ(count(stopped, TrialState::running), 0);
  EXPECT_TRUE(std::any_of(stopped.begin(), stopped.end(),
                          [](const auto& t) { return t.state == TrialState::queued && t.epochs_done > 0; }));
  const auto resumed = run_process(command);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  for (const auto& trial : study_trials(where)) {
    expect_trained_once(trial, 10, where);
    EXPECT_EQ(trial.attempts, 1) << "trial " << trial.number << ": an interruption counted as a failed attempt";
  }
}

TEST(HpsearchCli, ReportsTheLeaderboard) {
  TempDir dir;
  const auto where = sqlite_study(dir);
  const std::string study = synthetic_study(where, dir.file("runs"), 6, 2, 0.0);
  const auto searched = run_process(hpsearch(study));
  ASSERT_EQ(searched.exit_code, 0) << searched.err;
  EXPECT_NE(searched.out.find("6/6 done (6 complete, 0 pruned, 0 failed), 0 running, 0 queued; leader: trial "),
            std::string::npos)
      << searched.out;

  const std::string at = "--study " + where.location + " --name study";
  const auto text = run_process(hpsearch(at + " --report"));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(count_lines(text.out), 2 + 1 + 6) << text.out;  // status, blank, header, trials
  EXPECT_NE(text.out.find("rank  trial     state  best on  norm. MAE"), std::string::npos) << text.out;

  const auto json = nlohmann::json::parse(run_process(hpsearch(at + " --report --json")).out);
  ASSERT_EQ(json["trials"].size(), 6u);
  EXPECT_EQ(json["targets"], (nlohmann::json{"mu", "alpha", "gap"}));
  EXPECT_EQ(count_lines(run_process(hpsearch(at + " --report --csv")).out), 7);

  // --best-for: the configuration file of the complete trial with the lowest test MAE.
  auto store = search::StudyStore::open(where.location, "study", search::StudyStore::Mode::open);
  const auto board = search::Leaderboard::of(*store, *store->definition());
  for (const std::string target : {"mu", "gap"}) {
    const auto best = run_process(hpsearch(at + " --best-for " + target));
    ASSERT_EQ(best.exit_code, 0) << best.err;
    const std::string path = best.out.substr(0, best.out.find('\n'));
    EXPECT_EQ(path, search::trial_config_file(board.best_for(target)->run_dir));
    EXPECT_EQ(nlohmann::json::parse(read_file(path)), board.best_for(target)->config);
  }
  expect_one_line_error(run_process(hpsearch(at + " --best-for U0")), 2, "has no target 'U0'");
}

TEST(HpsearchCli, PruningStopsTrialsAtTheRungs) {
  TempDir dir;
  const auto where = sqlite_study(dir);
  const auto result = run_process(hpsearch(synthetic_study(where, dir.file("runs"), 12, 9, 0.0) + " --prune asha"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("ASHA pruning at epochs 2 6 (keeps 1/3)"), std::string::npos) << result.out;  // the default first rung, 2
  const auto trials = study_trials(where);
  EXPECT_GT(count(trials, TrialState::pruned), 0);
  for (const auto& trial : trials) {
    EXPECT_EQ(trial.state == TrialState::complete, trial.epochs_done == 9) << trial.number;
    EXPECT_EQ(trial.state == TrialState::pruned, trial.epochs_done == 2 || trial.epochs_done == 6) << trial.number;
  }
}

TEST(HpsearchCli, AStudyGrowsAndKeepsItsDefinition) {
  TempDir dir;
  const auto where = sqlite_study(dir);
  ASSERT_EQ(run_process(hpsearch(synthetic_study(where, dir.file("runs"), 3, 2, 0.0))).exit_code, 0);
  const auto grown = run_process(hpsearch(synthetic_study(where, dir.file("runs"), 5, 2, 0.0)));
  ASSERT_EQ(grown.exit_code, 0) << grown.err;
  const auto trials = study_trials(where);
  ASSERT_EQ(trials.size(), 5u);
  EXPECT_EQ(count(trials, TrialState::complete), 5);
  expect_one_line_error(run_process(hpsearch(synthetic_study(where, dir.file("runs"), 2, 2, 0.0))), 2,
               "--trials 2: the study has 5 trials already");
  expect_one_line_error(run_process(hpsearch(synthetic_study(where, dir.file("runs"), 5, 4, 0.0))), 1,
               "study.db (study 'study') exists with another definition: the epochs (2 vs 4); leave the option out "
               "to resume it, or give --name for a new study");
  // Without options the stored definition applies: nothing left to do.
  const auto again = run_process(hpsearch("--study " + where.location + " --name study --runs " + dir.file("runs")));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("5/5 done"), std::string::npos) << again.out;
}

TEST(HpsearchCli, BadInputIsAOneLineError) {
  TempDir dir;
  const std::string study = "--study " + dir.file("study.db") + " --runner synthetic";
  write_text(dir.file("unknown.json"), R"({"batch_size": {"int": [8, 25]}, "learning_rat": 0.01})");
  expect_one_line_error(run_process(hpsearch(study + " --space " + dir.file("unknown.json"))), 1,
               dir.file("unknown.json") + ": unknown key 'learning_rat'");
  write_text(dir.file("empty.json"), R"({"batch_size": {"int": [25, 8]}})");
  expect_one_line_error(run_process(hpsearch(study + " --space " + dir.file("empty.json"))), 1,
               dir.file("empty.json") + ": 'batch_size': empty range [25,8]");
  write_text(dir.file("patience.json"), R"({"batch_size": {"int": [8, 25]}, "patience": 3})");
  expect_one_line_error(run_process(hpsearch(study + " --space " + dir.file("patience.json"))), 1,
                        dir.file("patience.json") + ": 'patience' may not be set by a search space");
  expect_one_line_error(run_process(hpsearch("--study postgresql://e3@127.0.0.1:1/studies --runner synthetic")), 1,
               "postgresql://e3@127.0.0.1:1/studies: cannot connect to the study database");
  expect_one_line_error(run_process(hpsearch("--study " + dir.file("other.db"))), 2, "a new study needs --data DATA");
  expect_one_line_error(run_process(hpsearch(study + " --prune often")), 2, "--prune must be none or asha");
  expect_one_line_error(run_process(hpsearch(study + " --targets mu,spin")), 2, "--targets: ");
  expect_one_line_error(run_process(hpsearch("--study " + dir.file("missing.db") + " --report")), 1, "no such study database");
  expect_one_line_error(run_process(hpsearch("--runner synthetic")), 2, "give --study STUDY");
  // A configuration e3cpp train would reject stops the study before it starts.
  write_text(dir.file("basis.json"), R"({"model": "lnet", "radial_basis": "square", "batch_size": {"int": [8, 9]}})");
  expect_one_line_error(run_process(hpsearch("--study " + dir.file("basis.db") + " --targets mu --data " + sample_file() +
                                    " --space " + dir.file("basis.json"))),
               1, "trial 0: configuration: 'radial_basis' is invalid");
  EXPECT_FALSE(std::filesystem::exists(dir.file("hpsearch-runs"))) << "no trial may start";
}

}  // namespace
}  // namespace e3::testing
