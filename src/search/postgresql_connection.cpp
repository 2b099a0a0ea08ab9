// The study store's PostgreSQL connection (libpq), for workers on many machines.

#include <libpq-fe.h>

#include <cstdio>

#include "e3/search/study_store.h"
#include "sql_connection.h"

namespace e3::search::sql {
namespace {

const Dialect kPostgresql = {
    "BEGIN",
    "extract(epoch from clock_timestamp())",  // the real time, not the transaction's start
    " FOR UPDATE SKIP LOCKED",                // a row another claim holds is passed over
    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
    "SELECT pg_advisory_xact_lock(3111740)",  // two processes creating the schema take turns
};

// libpq's messages end with a newline and may have several lines: the first one says it.
std::string first_line(const char* message) {
  std::string text = message ? message : "";
  text = text.substr(0, text.find('\n'));
  return text.empty() ? "unknown error" : text;
}

class PostgresqlConnection : public Connection {
 public:
  explicit PostgresqlConnection(const std::string& url) : description_(StudyStore::without_password(url)) {
    // A connect_timeout in the URL overrides this one (later keywords win).
    const char* keywords[] = {"connect_timeout", "dbname", nullptr};
    const char* values[] = {"10", url.c_str(), nullptr};
    connection_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    if (!connection_ || PQstatus(connection_) != CONNECTION_OK) {
      const std::string message = connection_ ? first_line(PQerrorMessage(connection_)) : "out of memory";
      PQfinish(connection_);
      throw StoreError(description_ + ": cannot connect to the study database (" + message + ")");
    }
    // CREATE TABLE IF NOT EXISTS and the like send notices: not for the user's terminal.
    PQsetNoticeProcessor(connection_, [](void*, const char*) {}, nullptr);
  }
  ~PostgresqlConnection() override { PQfinish(connection_); }

  std::vector<Row> run(const std::string& statement, const std::vector<Value>& parameters) override {
    std::vector<std::string> texts(parameters.size());
    std::vector<const char*> values(parameters.size(), nullptr);
    for (size_t i = 0; i < parameters.size(); ++i) {
      const Value& value = parameters[i];
      if (std::holds_alternative<std::nullptr_t>(value)) continue;
      if (const auto* integer = std::get_if<int64_t>(&value)) texts[i] = std::to_string(*integer);
      if (const auto* real = std::get_if<double>(&value)) {
        char text[32];
        std::snprintf(text, sizeof(text), "%.17g", *real);
        texts[i] = text;
      }
      if (const auto* text = std::get_if<std::string>(&value)) texts[i] = *text;
      values[i] = texts[i].c_str();
    }
    PGresult* result = PQexecParams(connection_, statement.c_str(), static_cast<int>(values.size()), nullptr,
                                    values.data(), nullptr, nullptr, /*text results*/ 0);
    struct Clear {
      PGresult* result;
      ~Clear() { PQclear(result); }
    } clear{result};
    const auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const std::string message = first_line(result ? PQresultErrorMessage(result) : PQerrorMessage(connection_));
      // A server that stopped or dropped this session leaves the connection bad: only a new one helps.
      if (PQstatus(connection_) == CONNECTION_BAD) {
        throw Unreachable(description_ + ": lost the connection to the study database (" + message + ")");
      }
      throw StoreError(description_ + ": " + message);
    }
    std::vector<Row> rows;
    for (int row = 0; row < PQntuples(result); ++row) {
      std::vector<std::optional<std::string>> cells;
      for (int column = 0; column < PQnfields(result); ++column) {
        if (PQgetisnull(result, row, column)) {
          cells.emplace_back(std::nullopt);
        } else {
          cells.emplace_back(std::string(PQgetvalue(result, row, column), static_cast<size_t>(PQgetlength(result, row, column))));
        }
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  void reconnect() override {
    // The same parameters as the first connection (connect_timeout included); a new session.
    PQreset(connection_);
    if (PQstatus(connection_) != CONNECTION_OK) {
      throw Unreachable(description_ + ": cannot connect to the study database again (" +
                        first_line(PQerrorMessage(connection_)) + ")");
    }
  }

  const Dialect& dialect() const override { return kPostgresql; }
  const std::string& description() const override { return description_; }

 private:
  std::string description_;
  PGconn* connection_ = nullptr;
};

}  // namespace

std::unique_ptr<Connection> connect_postgresql(const std::string& url) {
  return std::make_unique<PostgresqlConnection>(url);
}

}  // namespace e3::search::sql
