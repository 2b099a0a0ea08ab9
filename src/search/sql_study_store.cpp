// The study store on an SQL database (SQLite or PostgreSQL, sql_connection.h): the schema and
// every operation of StudyStore, written once for both.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "e3/search/study_store.h"
#include "sql_connection.h"

namespace e3::search {
namespace {

using sql::Row;
using sql::Transaction;
using sql::Value;

// The pauses between the tries of an operation that cannot reach the database.
constexpr double kFirstRetryPause = 0.05;
constexpr double kLongestRetryPause = 2.0;

// The layout of kSchemaVersion. JSON (configurations, the space, settings, per-target errors)
// is stored as text, which both databases hold alike.
const char* const kSchema[] = {
    "CREATE TABLE e3_schema (version BIGINT NOT NULL)",
    "CREATE TABLE studies ("
    "  name TEXT PRIMARY KEY,"
    "  uid TEXT NOT NULL,"
    "  seed TEXT NOT NULL,"  // a 64-bit unsigned integer, beyond BIGINT's range
    "  space TEXT NOT NULL,"
    "  settings TEXT NOT NULL,"
    "  created DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE trials ("
    "  study TEXT NOT NULL REFERENCES studies (name),"
    "  number BIGINT NOT NULL,"
    "  config TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'pruned', 'complete', 'failed')),"
    "  worker TEXT,"
    "  heartbeat DOUBLE PRECISION,"
    "  run_dir TEXT,"
    "  attempts BIGINT NOT NULL DEFAULT 0,"
    "  epochs_done BIGINT NOT NULL DEFAULT 0,"
    "  best_score DOUBLE PRECISION,"
    "  message TEXT,"
    "  started DOUBLE PRECISION,"
    "  finished DOUBLE PRECISION,"
    "  PRIMARY KEY (study, number))",
    "CREATE INDEX trials_by_state ON trials (study, state, number)",
    "CREATE TABLE validations ("
    "  study TEXT NOT NULL,"
    "  trial BIGINT NOT NULL,"
    "  epoch BIGINT NOT NULL,"
    "  molecules_seen BIGINT NOT NULL,"
    "  score DOUBLE PRECISION NOT NULL,"
    "  errors TEXT NOT NULL,"
    "  recorded DOUBLE PRECISION NOT NULL,"
    "  PRIMARY KEY (study, trial, epoch),"
    "  FOREIGN KEY (study, trial) REFERENCES trials (study, number))",
    "CREATE TABLE results ("
    "  study TEXT NOT NULL,"
    "  trial BIGINT NOT NULL,"
    "  position BIGINT NOT NULL,"
    "  target TEXT NOT NULL,"
    "  test_mae DOUBLE PRECISION NOT NULL,"
    "  sigma DOUBLE PRECISION NOT NULL,"
    "  unit TEXT NOT NULL,"
    "  PRIMARY KEY (study, trial, target),"
    "  FOREIGN KEY (study, trial) REFERENCES trials (study, number))",
};

// 64 random bits in hex.
std::string random_uid() {
  std::random_device device;
  const uint64_t bits = (static_cast<uint64_t>(device()) << 32) ^ device();
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(bits));
  return text;
}

TrialState parse_state(const std::string& name) {
  for (auto state : {TrialState::queued, TrialState::running, TrialState::pruned, TrialState::complete,
                     TrialState::failed}) {
    if (name == state_name(state)) return state;
  }
  throw StoreError("study database: unknown trial state '" + name + "'");
}

std::string errors_json(const std::vector<TargetError>& errors) {
  auto json = nlohmann::json::array();
  for (const auto& e : errors) json.push_back({{"target", e.target}, {"mae", e.mae}, {"sigma", e.sigma}, {"unit", e.unit}});
  return json.dump();
}

std::vector<TargetError> parse_errors(const std::string& text) {
  std::vector<TargetError> errors;
  for (const auto& e : nlohmann::json::parse(text)) {
    errors.push_back({e.at("target").get<std::string>(), e.at("mae").get<double>(), e.at("sigma").get<double>(),
                      e.at("unit").get<std::string>()});
  }
  return errors;
}

class SqlStudyStore : public StudyStore {
 public:
  SqlStudyStore(std::unique_ptr<sql::Connection> connection, std::string name, Mode mode)
      : db_(std::move(connection)), name_(std::move(name)) {
    // Retried like every operation: a connection dropped while a worker starts (a server
    // restarting) must not end the worker.
    retrying([&] {
      Transaction transaction(*db_);
      if (*db_->dialect().schema_lock) db_->run(db_->dialect().schema_lock);
      if (db_->run(db_->dialect().table_exists, {std::string("e3_schema")}).at(0).integer(0) > 0) {
        check_version();
      } else if (mode == Mode::create) {
        for (const char* statement : kSchema) db_->run(statement);
        db_->run("INSERT INTO e3_schema (version) VALUES ($1)", {kSchemaVersion});
      } else {
        throw StoreError(db_->description() + ": not an e3cpp study database (it has no e3_schema table)");
      }
      transaction.commit();
    });
  }

  std::string description() const override { return db_->description() + " (study '" + name_ + "')"; }

  void set_retry_limit(double seconds) override { retry_limit_ = std::max(0.0, seconds); }

  std::optional<StudyDefinition> definition() override {
    return retrying([&] { return read_definition(); });
  }

  StudyDefinition define(const StudyDefinition& definition) override {
    return retrying([&] {
      db_->run("INSERT INTO studies (name, uid, seed, space, settings, created) VALUES ($1, $2, $3, $4, $5, " + now() +
                   ") ON CONFLICT (name) DO NOTHING",
               {name_, random_uid(), std::to_string(definition.seed), definition.space.to_json().dump(),
                definition.settings.to_json().dump()});
      return *read_definition();
    });
  }

  void update_settings(const StudySettings& settings) override {
    retrying([&] { db_->run("UPDATE studies SET settings = $2 WHERE name = $1", {name_, settings.to_json().dump()}); });
  }

  void add_trials(const std::vector<std::pair<int64_t, nlohmann::json>>& trials) override {
    retrying([&] {
      Transaction transaction(*db_);
      for (const auto& [number, config] : trials) {
        db_->run("INSERT INTO trials (study, number, config, state) VALUES ($1, $2, $3, 'queued') "
                 "ON CONFLICT (study, number) DO NOTHING",
                 {name_, number, config.dump()});
      }
      transaction.commit();
    });
  }

  std::optional<ClaimedTrial> claim(const std::string& worker, const std::string& runs_dir, double heartbeat_timeout,
                                    int64_t max_attempts) override {
    return retrying([&]() -> std::optional<ClaimedTrial> {
      Transaction transaction(*db_);
      db_->run("UPDATE trials SET state = CASE WHEN attempts >= $2 THEN 'failed' ELSE 'queued' END, "
               "message = CASE WHEN attempts >= $2 THEN $4 ELSE message END, "
               "finished = CASE WHEN attempts >= $2 THEN " + now() + " ELSE finished END "
               "WHERE study = $1 AND state = 'running' AND heartbeat < " + now() + " - CAST($3 AS DOUBLE PRECISION)",
               {name_, max_attempts, heartbeat_timeout,
                "its worker stopped sending heartbeats on each of its " + std::to_string(max_attempts) + " attempts"});
      const auto rows = db_->run("SELECT number, config, attempts, started FROM trials WHERE study = $1 AND "
                                 "state = 'queued' ORDER BY number LIMIT 1" + std::string(db_->dialect().skip_locked),
                                 {name_});
      if (rows.empty()) {
        transaction.commit();
        return std::nullopt;
      }
      ClaimedTrial claimed;
      claimed.number = rows[0].integer(0);
      claimed.config = nlohmann::json::parse(rows[0].text(1));
      claimed.attempts = rows[0].integer(2) + 1;
      claimed.resume = !rows[0].is_null(3);  // set by the first claim
      claimed.run_dir = (std::filesystem::path(runs_dir) / trial_name(claimed.number)).string();
      db_->run("UPDATE trials SET state = 'running', worker = $3, heartbeat = " + now() +
                   ", attempts = attempts + 1, run_dir = $4, started = COALESCE(started, " + now() +
                   ") WHERE study = $1 AND number = $2",
               {name_, claimed.number, worker, claimed.run_dir});
      transaction.commit();
      return claimed;
    });
  }

  bool heartbeat(int64_t number, const std::string& worker) override {
    return retrying([&] {
      return !db_->run("UPDATE trials SET heartbeat = " + now() + " WHERE " + kOwned + " RETURNING number",
                       {name_, number, worker})
                  .empty();
    });
  }

  bool record_validation(int64_t number, const std::string& worker, const ValidationReport& report) override {
    return retrying([&] {
      Transaction transaction(*db_);
      const bool owned =
          !db_->run("UPDATE trials SET heartbeat = " + now() + ", epochs_done = $4, best_score = CASE "
                    "WHEN best_score IS NULL OR best_score > CAST($5 AS DOUBLE PRECISION) "
                    "THEN CAST($5 AS DOUBLE PRECISION) ELSE best_score END WHERE " + kOwned + " RETURNING number",
                    {name_, number, worker, report.epoch, report.score})
               .empty();
      if (!owned) return false;
      db_->run("INSERT INTO validations (study, trial, epoch, molecules_seen, score, errors, recorded) "
               "VALUES ($1, $2, $3, $4, $5, $6, " + now() + ") ON CONFLICT (study, trial, epoch) DO UPDATE SET "
               "molecules_seen = excluded.molecules_seen, score = excluded.score, errors = excluded.errors, "
               "recorded = excluded.recorded",
               {name_, number, report.epoch, report.molecules_seen, report.score, errors_json(report.errors)});
      transaction.commit();
      return true;
    });
  }

  std::vector<double> rung_scores(int64_t epoch) override {
    return retrying([&] {
      std::vector<double> scores;
      for (const auto& row : db_->run("SELECT score FROM validations WHERE study = $1 AND epoch = $2", {name_, epoch})) {
        scores.push_back(row.real(0));
      }
      return scores;
    });
  }

  bool finish(int64_t number, const std::string& worker, const TrialResult& result) override {
    if (result.outcome == TrialResult::Outcome::interrupted) {
      throw std::logic_error("StudyStore::finish: an interrupted trial is released, not finished");
    }
    return retrying([&] {
      Transaction transaction(*db_);
      const std::string state = result.outcome == TrialResult::Outcome::complete ? "complete" : "pruned";
      if (db_->run("UPDATE trials SET state = $4, finished = " + now() + ", epochs_done = $5, best_score = $6, "
                   "message = NULL WHERE " + kOwned + " RETURNING number",
                   {name_, number, worker, state, result.epochs_done, result.best_score})
              .empty()) {
        return false;
      }
      db_->run("DELETE FROM results WHERE study = $1 AND trial = $2", {name_, number});
      for (size_t i = 0; i < result.test.size(); ++i) {
        const auto& error = result.test[i];
        db_->run("INSERT INTO results (study, trial, position, target, test_mae, sigma, unit) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                 {name_, number, static_cast<int64_t>(i), error.target, error.mae, error.sigma, error.unit});
      }
      transaction.commit();
      return true;
    });
  }

  bool fail(int64_t number, const std::string& worker, const std::string& message) override {
    return retrying([&] {
      return !db_->run("UPDATE trials SET state = 'failed', finished = " + now() + ", message = $4 WHERE " + kOwned +
                           " RETURNING number",
                       {name_, number, worker, message})
                  .empty();
    });
  }

  bool release(int64_t number, const std::string& worker) override {
    // An interrupted run is not a failed one: the claim is taken back from the attempts.
    return retrying([&] {
      return !db_->run("UPDATE trials SET state = 'queued', attempts = attempts - 1 WHERE " + kOwned +
                           " RETURNING number",
                       {name_, number, worker})
                  .empty();
    });
  }

  std::vector<TrialRecord> trials() override { return retrying([&] { return read_trials(); }); }

  std::vector<ValidationReport> validations(int64_t number) override {
    return retrying([&] {
      std::vector<ValidationReport> reports;
      for (const auto& row : db_->run("SELECT epoch, molecules_seen, score, errors FROM validations "
                                      "WHERE study = $1 AND trial = $2 ORDER BY epoch",
                                      {name_, number})) {
        reports.push_back({row.integer(0), row.integer(1), parse_errors(row.text(3)), row.real(2)});
      }
      return reports;
    });
  }

 private:
  // Runs `operation`, one whole operation of the store (its transaction included), again after
  // reconnecting while the database cannot be reached, until retry_limit_ seconds have passed
  // since the first failure (counted from there: a try that waited long on a lock before the
  // connection broke still leaves time to reconnect).
  template <typename Operation>
  auto retrying(Operation&& operation) -> decltype(operation()) {
    using Clock = std::chrono::steady_clock;
    std::optional<Clock::time_point> first_failure;
    double pause = kFirstRetryPause;
    for (int tries = 1;; ++tries) {
      try {
        if (unreachable_) {
          db_->reconnect();
          unreachable_ = false;
        }
        return operation();
      } catch (const sql::Unreachable& error) {
        unreachable_ = true;
        if (!first_failure) first_failure = Clock::now();
        const double waited = std::chrono::duration<double>(Clock::now() - *first_failure).count();
        if (waited + pause > retry_limit_) {
          if (tries == 1) throw StoreError(error.what());
          std::ostringstream message;
          message << error.what() << "; tried " << tries << " times in " << std::setprecision(3) << waited << " s";
          throw StoreError(message.str());
        }
        std::this_thread::sleep_for(std::chrono::duration<double>(pause));
        pause = std::min(2 * pause, kLongestRetryPause);
      }
    }
  }

  std::optional<StudyDefinition> read_definition() {
    const auto rows = db_->run("SELECT uid, seed, space, settings FROM studies WHERE name = $1", {name_});
    if (rows.empty()) return std::nullopt;
    StudyDefinition definition;
    definition.name = name_;
    definition.uid = rows[0].text(0);
    definition.seed = std::stoull(rows[0].text(1));
    definition.space = SearchSpace::from_json(nlohmann::ordered_json::parse(rows[0].text(2)), description());
    definition.settings = StudySettings::from_json(nlohmann::json::parse(rows[0].text(3)), description());
    return definition;
  }

  std::vector<TrialRecord> read_trials() {
    std::vector<TrialRecord> trials;
    for (const auto& row : db_->run("SELECT number, config, state, worker, run_dir, attempts, epochs_done, best_score, "
                                    "message FROM trials WHERE study = $1 ORDER BY number",
                                    {name_})) {
      TrialRecord trial;
      trial.number = row.integer(0);
      trial.config = nlohmann::json::parse(row.text(1));
      trial.state = parse_state(row.text(2));
      if (!row.is_null(3)) trial.worker = row.text(3);
      if (!row.is_null(4)) trial.run_dir = row.text(4);
      trial.attempts = row.integer(5);
      trial.epochs_done = row.integer(6);
      if (!row.is_null(7)) trial.best_score = row.real(7);
      if (!row.is_null(8)) trial.message = row.text(8);
      trials.push_back(std::move(trial));
    }
    std::map<int64_t, size_t> index;
    for (size_t i = 0; i < trials.size(); ++i) index[trials[i].number] = i;
    for (const auto& row : db_->run("SELECT trial, target, test_mae, sigma, unit FROM results WHERE study = $1 "
                                    "ORDER BY trial, position",
                                    {name_})) {
      auto& trial = trials.at(index.at(row.integer(0)));
      trial.test.push_back({row.text(1), row.real(2), row.real(3), row.text(4)});
    }
    return trials;
  }

  // The condition of every change a worker makes to its trial ($1 study, $2 number, $3 worker).
  inline static const std::string kOwned = "study = $1 AND number = $2 AND worker = $3 AND state = 'running'";

  std::string now() const { return db_->dialect().now; }

  void check_version() {
    const auto rows = db_->run("SELECT version FROM e3_schema");
    if (rows.size() != 1) throw StoreError(db_->description() + ": the e3_schema table must hold exactly one version");
    const int64_t version = rows[0].integer(0);
    if (version > kSchemaVersion) {
      throw StoreError(db_->description() + ": the study database has schema version " + std::to_string(version) +
                       ", newer than this e3cpp reads (" + std::to_string(kSchemaVersion) + "): use a newer e3cpp");
    }
    if (version < kSchemaVersion) {
      throw StoreError(db_->description() + ": the study database has schema version " + std::to_string(version) +
                       ", older than this e3cpp's " + std::to_string(kSchemaVersion) + ", and it has no upgrade for it");
    }
  }

  std::unique_ptr<sql::Connection> db_;
  std::string name_;
  double retry_limit_ = kDefaultRetrySeconds;
  bool unreachable_ = false;  // the last operation could not reach the database: reconnect first
};

}  // namespace

const char* state_name(TrialState state) {
  switch (state) {
    case TrialState::queued: return "queued";
    case TrialState::running: return "running";
    case TrialState::pruned: return "pruned";
    case TrialState::complete: return "complete";
    case TrialState::failed: return "failed";
  }
  return "?";
}

std::string StudyStore::without_password(const std::string& url) {
  std::string shown = url;
  const size_t scheme = shown.find("://");
  const size_t at = shown.find('@');
  const size_t slash = shown.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme != std::string::npos && at != std::string::npos && (slash == std::string::npos || at < slash)) {
    const size_t colon = shown.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) shown.erase(colon, at - colon);
  }
  for (size_t found; (found = shown.find("password=")) != std::string::npos;) {
    const size_t end = shown.find('&', found);
    shown.erase(found, end == std::string::npos ? std::string::npos : end + 1 - found);
  }
  while (!shown.empty() && (shown.back() == '?' || shown.back() == '&')) shown.pop_back();
  return shown;
}

bool StudyStore::is_postgresql(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::unique_ptr<StudyStore> StudyStore::open(const std::string& location, const std::string& name, Mode mode) {
  if (name.empty()) throw StoreError(location + ": a study needs a name");
  if (is_postgresql(location)) return std::make_unique<SqlStudyStore>(sql::connect_postgresql(location), name, mode);
  if (mode == Mode::create) {
    const auto parent = std::filesystem::path(location).parent_path();
    std::error_code error;
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
  }
  return std::make_unique<SqlStudyStore>(sql::connect_sqlite(location, mode == Mode::create), name, mode);
}

}  // namespace e3::search
