#include "sql_connection.h"

#include <cerrno>
#include <cstdlib>

#include "e3/search/study_store.h"

namespace e3::search::sql {

const std::string& Row::text(size_t column) const {
  const auto& cell = cells_.at(column);
  if (!cell) throw StoreError("study database: unexpected NULL in column " + std::to_string(column));
  return *cell;
}

int64_t Row::integer(size_t column) const {
  const std::string& value = text(column);
  char* end = nullptr;
  errno = 0;
  const long long parsed = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || errno != 0) throw StoreError("study database: '" + value + "' is not an integer");
  return parsed;
}

double Row::real(size_t column) const {
  const std::string& value = text(column);
  char* end = nullptr;
  const double parsed = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0') throw StoreError("study database: '" + value + "' is not a number");
  return parsed;
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.run(connection_.dialect().begin_write);
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    connection_.run("ROLLBACK");
  } catch (const std::exception&) {
    // The connection is broken; the database rolls the transaction back itself.
  }
}

void Transaction::commit() {
  connection_.run("COMMIT");
  open_ = false;
}

}  // namespace e3::search::sql
