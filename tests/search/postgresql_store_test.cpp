// The study store and two worker processes on a PostgreSQL server: the one the CTest fixture
// search_postgres_start starts on loopback (postgres_server.sh). Where no server could be
// started, every test here is skipped with the reason; none passes without a server.

#include <gtest/gtest.h>

#include <filesystem>

#include "cli_scenarios.h"
#include "files.h"
#include "store_test.h"

namespace e3::testing {
namespace {

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

TEST(PostgresqlHpsearch, TwoWorkersNeverRunTheSameTrial) {
  TempDir dir;
  const auto where = postgresql_study(dir.path());
  if (!where.unavailable.empty()) GTEST_SKIP() << where.unavailable;
  two_workers_never_run_the_same_trial(where, dir.path());
}

}  // namespace
}  // namespace e3::testing
