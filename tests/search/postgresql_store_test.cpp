// The study store and worker processes on a PostgreSQL server: the one the CTest fixture
// search_postgres_start starts on loopback (postgres_server.sh). Where no server could be
// started, every test here is skipped with the reason; none passes without a server.
//
// Tests that cut connections do it to a login role of their own (role_of()), so that the other
// tests sharing the server keep theirs: they drop its sessions (as a restarted server or a broken
// network would), or also forbid it to log in again (a server that stays unreachable).

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <stdexcept>

#include "background_process.h"
#include "cli.h"
#include "cli_scenarios.h"
#include "files.h"
#include "store_test.h"

namespace e3::testing {
namespace {

using search::TrialState;

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// A fresh study on the test server, or why there is none.
StudyLocation postgresql_study(const std::string&) {
  const std::string info = E3_POSTGRES_INFO;
  if (std::filesystem::exists(info + "/url")) return {first_line(read_file(info + "/url")), unique_study_name(), ""};
  if (std::filesystem::exists(info + "/unavailable")) {
    return {"", "", "no PostgreSQL server for the tests: " + first_line(read_file(info + "/unavailable"))};
  }
  return {"", "", "no PostgreSQL server for the tests: the CTest fixture search_postgres_start did not run " +
                      std::string("(run them with ctest, which starts it)")};
}

INSTANTIATE_TEST_SUITE_P(Postgresql, StudyStoreTest, ::testing::Values(StoreBackend{"postgresql", postgresql_study}),
                         [](const auto& info) { return info.param.name; });

// `url` (the server's, as its superuser "postgres") with another user, and a password when given.
std::string with_user(const std::string& url, const std::string& user, const std::string& password = "") {
  const std::string server_user = "://postgres@";
  const size_t at = url.find(server_user);
  if (at == std::string::npos) throw std::runtime_error("unexpected test server URL " + url);
  return url.substr(0, at) + "://" + user + (password.empty() ? "" : ":" + password) + "@" +
         url.substr(at + server_user.size());
}

// Runs `statement` at `url` (the server's superuser); its error, "" when it succeeded.
std::string try_sql(const std::string& url, const std::string& statement) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(url.c_str()), PQfinish);
  if (PQstatus(connection.get()) != CONNECTION_OK) return PQerrorMessage(connection.get());
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection.get(), statement.c_str()), PQclear);
  const auto status = PQresultStatus(result.get());
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ? "" : PQresultErrorMessage(result.get());
}

// The same, failing the test when it fails.
void run_sql(const std::string& url, const std::string& statement) {
  const std::string error = try_sql(url, statement);
  EXPECT_EQ(error, "") << statement;
}

// A login role of the test's own (a superuser, as the server's own user), dropped at the end.
class Role {
 public:
  explicit Role(const StudyLocation& where) : server_(where.location), name_(unique_study_name()) {
    run_sql(server_, "CREATE ROLE \"" + name_ + "\" SUPERUSER LOGIN");
    // The schema belongs to the server's user, not to a role that goes away.
    search::StudyStore::open(server_, where.name, search::StudyStore::Mode::create);
  }
  ~Role() {
    // Best effort: what is left of a role changes nothing for the other tests.
    try_sql(server_, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + name_ + "'");
    try_sql(server_, "DROP ROLE IF EXISTS \"" + name_ + "\"");
  }

  /// The study at `where`, reached as this role.
  StudyLocation study(const StudyLocation& where) const { return {with_user(where.location, name_), where.name, ""}; }

  /// Ends every session of the role, as a server restart or a network failure would.
  void drop_sessions() const {
    run_sql(server_, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + name_ + "'");
  }
  /// Forbids the role to log in and ends its sessions: the server is out of its reach.
  void cut() const {
    run_sql(server_, "ALTER ROLE \"" + name_ + "\" NOLOGIN");
    drop_sessions();
  }
  /// Lets it log in again.
  void restore() const { run_sql(server_, "ALTER ROLE \"" + name_ + "\" LOGIN"); }
  /// Whether a session of the role waits for a lock that another session holds.
  bool waits_for_a_lock() const {
    return try_sql(server_, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE usename = '" + name_ +
                                "' AND wait_event_type = 'Lock') THEN RAISE EXCEPTION 'none'; END IF; END $$")
        .empty();
  }

 private:
  std::string server_, name_;
};

// The study store `where` names, opened as `role` (which the test can cut off).
std::unique_ptr<search::StudyStore> open_as(const Role& role, const StudyLocation& where) {
  const auto as_role = role.study(where);
  return search::StudyStore::open(as_role.location, as_role.name, search::StudyStore::Mode::open);
}

TEST(PostgresqlStudyStore, ReconnectsAfterTheServerDroppedTheConnection) {
  TempDir dir;
  const auto where = postgresql_study(dir.path());
  if (!where.unavailable.empty()) GTEST_SKIP() << where.unavailable;
  Role role(where);
  auto store = open_as(role, where);
  auto study = small_study(2);
  study.name = where.name;  // the role sees the same study
  store->define(study);
  role.drop_sessions();
  store->add_trials({{0, study.trial_config(0)}, {1, study.trial_config(1)}});  // a write, in a new session
  role.drop_sessions();
  EXPECT_EQ(store->trials().size(), 2u);
  role.drop_sessions();
  const auto claimed = store->claim("w", "/runs", 60, 3);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->number, 0);
}

TEST(PostgresqlStudyStore, OpensWhenTheServerDropsTheConnectionWhileItReadsTheSchema) {
  TempDir dir;
  const auto where = postgresql_study(dir.path());
  if (!where.unavailable.empty()) GTEST_SKIP() << where.unavailable;
  Role role(where);
  // The server's user holds the schema's table, so that the opening (a worker starting) waits
  // in its first transaction until the role's sessions are dropped under it.
  std::unique_ptr<PGconn, decltype(&PQfinish)> holder(PQconnectdb(where.location.c_str()), PQfinish);
  ASSERT_EQ(PQstatus(holder.get()), CONNECTION_OK) << PQerrorMessage(holder.get());
  for (const char* statement : {"BEGIN", "LOCK TABLE e3_schema IN ACCESS EXCLUSIVE MODE"}) {
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(holder.get(), statement), PQclear);
    ASSERT_EQ(PQresultStatus(result.get()), PGRES_COMMAND_OK) << statement << ": " << PQerrorMessage(holder.get());
  }
  auto opening = std::async(std::launch::async, [&]() -> std::string {
    try {
      return open_as(role, where)->trials().empty() ? "" : "a new study with trials";
    } catch (const std::exception& error) {
      return error.what();
    }
  });
  const bool waited = eventually([&] { return role.waits_for_a_lock(); }, 30);
  role.drop_sessions();
  std::unique_ptr<PGresult, decltype(&PQclear)> committed(PQexec(holder.get(), "COMMIT"), PQclear);
  ASSERT_TRUE(waited) << "the opening never waited for the schema's table";
  EXPECT_EQ(opening.get(), "");
}

TEST(PostgresqlStudyStore, AServerOutOfReachIsAnErrorAfterTheRetryLimit) {
  TempDir dir;
  const auto where = postgresql_study(dir.path());
  if (!where.unavailable.empty()) GTEST_SKIP() << where.unavailable;
  Role role(where);
  auto store = open_as(role, where);
  store->set_retry_limit(1.0);
  role.cut();
  const auto start = std::chrono::steady_clock::now();
  try {
    store->trials();
    ADD_FAILURE() << "no error while the server is out of reach";
  } catch (const search::StoreError& error) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_GE(seconds, 0.5);  // it kept trying ...
    EXPECT_LT(seconds, 5.0);  // ... for about its limit
    const std::string what = error.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_NE(what.find(": cannot connect to the study database again ("), std::string::npos) << what;
    EXPECT_NE(what.find("; tried "), std::string::npos) << what;
  }
  // Back within reach, the next operation connects again.
  role.restore();
  EXPECT_TRUE(store->trials().empty());
}

TEST(PostgresqlHpsearch, TwoWorkersNeverRunTheSameTrial) {
  TempDir dir;
  const auto where = postgresql_study(dir.path());
  if (!where.unavailable.empty()) GTEST_SKIP() << where.unavailable;
  two_workers_never_run_the_same_trial(where, dir.path());
}

TEST(PostgresqlHpsearch, TheSearchGoesOnWhenTheServerDropsItsConnections) {
  TempDir dir;
  const auto where = postgresql_study(dir.path());
  if (!where.unavailable.empty()) GTEST_SKIP() << where.unavailable;
  Role role(where);
  const auto as_role = role.study(where);
  BackgroundProcess search(hpsearch(synthetic_study(as_role, dir.file("runs"), 3, 6, 0.1) + " --workers 2"));
  ASSERT_TRUE(eventually(
      [&] {
        const auto trials = trials_so_far(where);
        return std::any_of(trials.begin(), trials.end(),
                           [](const auto& t) { return t.state == TrialState::running && t.epochs_done >= 2; });
      },
      30))
      << search.out() << search.err();
  // The coordinator's connection and each worker's two.
  role.drop_sessions();
  const auto exit_code = search.wait(60);
  ASSERT_TRUE(exit_code) << search.out() << search.err();
  EXPECT_EQ(*exit_code, 0) << search.out() << search.err();
  // The coordinator said that its poll failed, once, and went on.
  EXPECT_EQ(count_occurrences(search.out(), "the study database failed ("), 1u) << search.out();
  for (const auto& trial : study_trials(where)) {
    expect_trained_once(trial, 6, where);
    EXPECT_EQ(trial.attempts, 1) << "trial " << trial.number;
  }
}

TEST(PostgresqlHpsearch, AWorkerCutOffFromTheStudyStopsItsTrialBeforeAnotherTakesItOver) {
  TempDir dir;
  const auto where = postgresql_study(dir.path());
  if (!where.unavailable.empty()) GTEST_SKIP() << where.unavailable;
  Role role(where);
  // One trial whose epoch outlasts the heartbeat timeout: while it trains, only the heartbeat
  // speaks for it. Search a reaches the server as the role, search b (another machine) as the
  // server's user; both put the trial in the same runs directory.
  const std::string options = " --name " + where.name + " --runs " + dir.file("runs") +
                              " --runner synthetic --targets mu --trials 1 --epochs 1 --synthetic-epoch-seconds 4"
                              " --heartbeat-timeout 2";
  BackgroundProcess a(hpsearch("--study '" + role.study(where).location + "'" + options));
  ASSERT_TRUE(eventually(
      [&] {
        const auto trials = trials_so_far(where);
        return !trials.empty() && trials[0].state == TrialState::running;
      },
      30))
      << a.out() << a.err();
  role.cut();
  // b takes the trial over once its heartbeat is 2 s old, and runs it to the end.
  const auto b = run_process(hpsearch("--study '" + where.location + "'" + options));
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  const auto a_exit = a.wait(30);
  ASSERT_TRUE(a_exit) << a.out() << a.err();
  EXPECT_EQ(*a_exit, 1) << a.out() << a.err();

  // a's worker stopped the trial within half the timeout, said so once, and ended.
  EXPECT_EQ(count_occurrences(a.err(), "no heartbeat reached the study database for 1 s (half the heartbeat timeout"),
            1u)
      << a.err();
  EXPECT_EQ(count_occurrences(read_file(dir.file("runs") + "/workers.log"), "trial 0 stopped: "), 1u)
      << read_file(dir.file("runs") + "/workers.log");
  // One process at a time: a's, then b's, never a's again.
  const auto trial = study_trials(where).at(0);
  const auto a_pids = worker_pids(a.out()), b_pids = worker_pids(b.out);
  ASSERT_EQ(a_pids.size(), 1u) << a.out();
  ASSERT_EQ(b_pids.size(), 1u) << b.out;
  EXPECT_EQ(processes_in_turn(events(trial.run_dir)),
            (std::vector<std::string>{std::to_string(a_pids[0]), std::to_string(b_pids[0])}))
      << read_file(trial.run_dir + "/events.log");
  expect_trained_once(trial, 1, where);
  EXPECT_EQ(trial.attempts, 2);
}

TEST(PostgresqlHpsearch, TheWorkersCommandLinesDoNotShowThePassword) {
  TempDir dir;
  const auto where = postgresql_study(dir.path());
  if (!where.unavailable.empty()) GTEST_SKIP() << where.unavailable;
  // The test server trusts connections from loopback: it never asks for the password a user's
  // URL holds.
  const StudyLocation with_password{with_user(where.location, "postgres", "e3-secret"), where.name, ""};
  BackgroundProcess search(hpsearch(synthetic_study(with_password, dir.file("runs"), 2, 4, 0.2) + " --workers 2"));
  std::vector<int> pids;
  ASSERT_TRUE(eventually(
      [&] {
        pids = worker_pids(search.out());
        const auto trials = trials_so_far(where);
        return pids.size() == 2 && std::any_of(trials.begin(), trials.end(),
                                                [](const auto& t) { return t.state == TrialState::running; });
      },
      30))
      << search.out() << search.err();
  for (int pid : pids) {
    // What ps shows any user of the machine: the arguments, NUL-separated.
    std::string command_line = read_file("/proc/" + std::to_string(pid) + "/cmdline");
    std::replace(command_line.begin(), command_line.end(), '\0', ' ');
    EXPECT_NE(command_line.find("--worker-process"), std::string::npos) << command_line;
    EXPECT_EQ(command_line.find("e3-secret"), std::string::npos) << command_line;
  }
  const auto exit_code = search.wait(60);
  ASSERT_TRUE(exit_code);
  EXPECT_EQ(*exit_code, 0) << search.out() << search.err();
  EXPECT_EQ(read_file(dir.file("runs") + "/workers.log").find("e3-secret"), std::string::npos);
  // Nor does the coordinator print it (its last line names the study for --report).
  EXPECT_EQ(search.out().find("e3-secret"), std::string::npos) << search.out();
  EXPECT_EQ(search.err().find("e3-secret"), std::string::npos) << search.err();
  for (const auto& trial : study_trials(where)) expect_trained_once(trial, 4, where);
}

}  // namespace
}  // namespace e3::testing
