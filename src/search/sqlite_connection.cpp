// The study store's SQLite connection: a file that any number of processes on one machine open.

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>

#include "e3/search/study_store.h"
#include "sql_connection.h"

namespace e3::search::sql {
namespace {

// How long a statement waits for another process's write to finish before giving up. Writes
// are a few rows each, so reaching this means a process is stuck, not busy.
constexpr int kBusyTimeoutMs = 60000;

const Dialect kSqlite = {
    "BEGIN IMMEDIATE",  // takes the write lock at once: no deadlock upgrading a read lock
    "((julianday('now') - 2440587.5) * 86400.0)",
    "",
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
    "",
};

// Errors of a file that cannot be opened, read or written (its directory or the file moved away
// or made inaccessible, a full or failing disk): opening the file again may cure them.
bool is_unreachable(int code) {
  switch (code & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_PERM:
      return true;
    default:
      return false;
  }
}

class SqliteConnection : public Connection {
 public:
  SqliteConnection(const std::string& path, bool create) : description_(path) {
    if (!create && !std::filesystem::exists(path)) throw StoreError(path + ": no such study database");
    open(create);
  }
  ~SqliteConnection() override { sqlite3_close(db_); }

  void reconnect() override {
    sqlite3_close(db_);
    db_ = nullptr;
    // Never creating it: a database that vanished must not come back empty.
    if (!std::filesystem::exists(description_)) throw Unreachable(description_ + ": the study database is gone");
    try {
      open(false);
    } catch (const Unreachable&) {
      throw;
    } catch (const StoreError& error) {
      throw Unreachable(error.what());
    }
  }

  std::vector<Row> run(const std::string& statement, const std::vector<Value>& parameters) override {
    sqlite3_stmt* prepared = nullptr;
    if (sqlite3_prepare_v2(db_, statement.c_str(), -1, &prepared, nullptr) != SQLITE_OK) fail();
    struct Finalizer {
      sqlite3_stmt* statement;
      ~Finalizer() { sqlite3_finalize(statement); }
    } finalizer{prepared};
    for (size_t i = 0; i < parameters.size(); ++i) bind(prepared, i, parameters[i]);
    std::vector<Row> rows;
    for (;;) {
      const int status = sqlite3_step(prepared);
      if (status == SQLITE_DONE) break;
      if (status != SQLITE_ROW) fail();
      std::vector<std::optional<std::string>> cells;
      for (int column = 0; column < sqlite3_column_count(prepared); ++column) cells.push_back(cell(prepared, column));
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  const Dialect& dialect() const override { return kSqlite; }
  const std::string& description() const override { return description_; }

 private:
  void open(bool create) {
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(description_.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError(description_ + ": cannot open the study database (" + message + ")");
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    try {
      // Readers and one writer at a time without blocking each other; the journal mode is a
      // property of the file, set by whichever process opens it first.
      run("PRAGMA journal_mode = WAL", {});
      run("PRAGMA synchronous = NORMAL", {});
    } catch (const StoreError&) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw;
    }
  }

  [[noreturn]] void fail() const {
    if (!db_) throw Unreachable(description_ + ": the study database is not open (a reconnection failed)");
    const std::string message = description_ + ": " + sqlite3_errmsg(db_);
    if (is_unreachable(sqlite3_extended_errcode(db_))) throw Unreachable(message);
    throw StoreError(message);
  }

  void bind(sqlite3_stmt* statement, size_t i, const Value& value) {
    const std::string name = "$" + std::to_string(i + 1);
    const int index = sqlite3_bind_parameter_index(statement, name.c_str());
    if (index == 0) return;  // a parameter this statement does not use
    int status = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(value)) status = sqlite3_bind_null(statement, index);
    if (const auto* integer = std::get_if<int64_t>(&value)) status = sqlite3_bind_int64(statement, index, *integer);
    if (const auto* real = std::get_if<double>(&value)) status = sqlite3_bind_double(statement, index, *real);
    if (const auto* text = std::get_if<std::string>(&value)) {
      status = sqlite3_bind_text(statement, index, text->c_str(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
    }
    if (status != SQLITE_OK) fail();
  }

  static std::optional<std::string> cell(sqlite3_stmt* statement, int column) {
    switch (sqlite3_column_type(statement, column)) {
      case SQLITE_NULL: return std::nullopt;
      case SQLITE_INTEGER: return std::to_string(sqlite3_column_int64(statement, column));
      case SQLITE_FLOAT: {
        char text[32];
        std::snprintf(text, sizeof(text), "%.17g", sqlite3_column_double(statement, column));
        return std::string(text);
      }
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
        return std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement, column)));
      }
    }
  }

  std::string description_;
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Connection> connect_sqlite(const std::string& path, bool create) {
  return std::make_unique<SqliteConnection>(path, create);
}

}  // namespace e3::search::sql
