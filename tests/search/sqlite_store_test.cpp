// The study store on SQLite files (the shared suite of store_test.cpp), the schema version
// check, and databases that cannot be used.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "e3/search/study_store.h"
#include "files.h"
#include "store_test.h"

namespace e3::testing {
namespace {

using search::StoreError;
using search::StudyStore;

INSTANTIATE_TEST_SUITE_P(Sqlite, StudyStoreTest,
                         ::testing::Values(StoreBackend{"sqlite", [](const std::string& dir) {
                                                          return StudyLocation{dir + "/study.db", "study", ""};
                                                        }}),
                         [](const auto& info) { return info.param.name; });

void execute(const std::string& path, const std::string& statement) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

// The first column of the first row of `query`, as text ("NULL" for NULL).
std::string query_text(const std::string& path, const std::string& query) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, query.c_str(), -1, &statement, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string text = "no row";
  if (sqlite3_step(statement) == SQLITE_ROW) {
    const auto* value = sqlite3_column_text(statement, 0);
    text = value ? reinterpret_cast<const char*>(value) : "NULL";
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return text;
}

// The one-line error of opening `location`.
std::string open_error(const std::string& location, StudyStore::Mode mode = StudyStore::Mode::open) {
  try {
    StudyStore::open(location, "study", mode);
  } catch (const StoreError& error) {
    const std::string what = error.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    return what;
  }
  ADD_FAILURE() << "no error opening " << location;
  return "";
}

TEST(SqliteStudyStore, UsesTheWriteAheadLog) {
  TempDir dir;
  StudyStore::open(dir.file("study.db"), "study", StudyStore::Mode::create);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("study.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)), "wal");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST(SqliteStudyStore, ChecksTheSchemaVersion) {
  TempDir dir;
  const std::string path = dir.file("study.db");
  StudyStore::open(path, "study", StudyStore::Mode::create);
  EXPECT_NO_THROW(StudyStore::open(path, "study", StudyStore::Mode::open));
  execute(path, "UPDATE e3_schema SET version = " + std::to_string(search::kSchemaVersion + 1));
  EXPECT_EQ(open_error(path), path + ": the study database has schema version " +
                                  std::to_string(search::kSchemaVersion + 1) + ", newer than this e3cpp reads (" +
                                  std::to_string(search::kSchemaVersion) + "): use a newer e3cpp");
  execute(path, "UPDATE e3_schema SET version = 0");
  EXPECT_NE(open_error(path).find("has schema version 0, older than this e3cpp's"), std::string::npos);
}

TEST(SqliteStudyStore, RefusesWhatIsNotAStudyDatabase) {
  TempDir dir;
  EXPECT_EQ(open_error(dir.file("missing.db")), dir.file("missing.db") + ": no such study database");
  write_text(dir.file("text.db"), "this is not a database\n");
  EXPECT_NE(open_error(dir.file("text.db")).find("text.db: file is not a database"), std::string::npos);
  execute(dir.file("other.db"), "CREATE TABLE something (x INTEGER)");
  EXPECT_EQ(open_error(dir.file("other.db")), dir.file("other.db") + ": not an e3cpp study database (it has no e3_schema table)");
  // Creating the schema beside another application's tables is fine.
  EXPECT_NO_THROW(StudyStore::open(dir.file("other.db"), "study", StudyStore::Mode::create));
}

TEST(SqliteStudyStore, ATrialWhoseWorkersKeepDyingIsFinished) {
  TempDir dir;
  const std::string path = dir.file("study.db");
  auto store = StudyStore::open(path, "study", StudyStore::Mode::create);
  auto study = small_study(2);
  study.name = "study";
  store->define(study);
  store->add_trials({{0, study.trial_config(0)}, {1, study.trial_config(1)}});
  ASSERT_EQ(store->claim("a", "/runs", 0.3, 1)->number, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(store->claim("b", "/runs", 0.3, 1)->number, 1);  // trial 0's one attempt died
  EXPECT_EQ(store->trials()[0].state, search::TrialState::failed);
  // Failed is an end, with its time, like any other.
  EXPECT_NE(query_text(path, "SELECT finished FROM trials WHERE number = 0"), "NULL");
  EXPECT_EQ(query_text(path, "SELECT finished FROM trials WHERE number = 1"), "NULL");
}

TEST(PostgresqlStudyStore, AnUnreachableServerIsAOneLineErrorWithoutThePassword) {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  const std::string error = open_error("postgresql://e3:secret@127.0.0.1:1/studies");
  EXPECT_EQ(error.rfind("postgresql://e3@127.0.0.1:1/studies: cannot connect to the study database (", 0), 0u) << error;
  EXPECT_EQ(error.find("secret"), std::string::npos) << error;
}

}  // namespace
}  // namespace e3::testing
