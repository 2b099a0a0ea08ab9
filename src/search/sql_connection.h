#pragma once
// The SQL the study store needs from a database, with SQLite and PostgreSQL behind it
// (internal to e3_search).
//
// Statements are written once, in the SQL both databases understand, with parameters $1, $2,
// ... (SQLite binds them by name); what differs is in Dialect.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "e3/search/study_store.h"

namespace e3::search::sql {

/// The database could not be reached: a dropped or refused connection, a database file that
/// cannot be opened, read or written. The connection must be re-established (reconnect()) and
/// the whole operation run again; an open transaction is lost.
class Unreachable : public StoreError {
 public:
  using StoreError::StoreError;
};

/// A parameter of a statement.
using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;

/// One row of a result: each column as text (numbers exactly: doubles with 17 digits), or
/// nullopt for NULL.
class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
  bool is_null(size_t column) const { return !cells_.at(column); }
  const std::string& text(size_t column) const;
  int64_t integer(size_t column) const;
  double real(size_t column) const;

 private:
  std::vector<std::optional<std::string>> cells_;
};

/// What the two databases spell differently.
struct Dialect {
  const char* begin_write;   ///< starts a transaction that will write
  const char* now;           ///< the database's clock, seconds since 1970 (sub-second)
  const char* skip_locked;   ///< appended to a SELECT of the row a claim takes
  const char* table_exists;  ///< one row with a count; $1 the table's name
  const char* schema_lock;   ///< run first in the transaction that creates the schema ("" if none)
};

class Connection {
 public:
  virtual ~Connection() = default;
  /// Runs one statement; its rows (none for a statement without result). StoreError naming
  /// the database on failure; Unreachable when the database could not be reached.
  virtual std::vector<Row> run(const std::string& statement, const std::vector<Value>& parameters = {}) = 0;
  /// Connects again (a new session: what the last one had begun is rolled back); Unreachable
  /// when the database still cannot be reached.
  virtual void reconnect() = 0;
  virtual const Dialect& dialect() const = 0;
  /// The database, for messages.
  virtual const std::string& description() const = 0;
};

/// An SQLite database file; `create`: create it when missing.
std::unique_ptr<Connection> connect_sqlite(const std::string& path, bool create);
/// A PostgreSQL server at a postgresql:// URL.
std::unique_ptr<Connection> connect_postgresql(const std::string& url);

/// A write transaction: begun on construction, rolled back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  bool open_ = true;
};

}  // namespace e3::search::sql
