// e3cpp hpsearch: the random hyperparameter search of thesis Section 3.2.1 (Table 3.3) as a
// study in a database that worker processes on one or many machines share; its leaderboard.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "args.h"
#include "child_processes.h"
#include "commands.h"
#include "e3/perf/machine.h"
#include "e3/search/leaderboard.h"
#include "e3/search/study_setup.h"
#include "e3/search/study_store.h"
#include "e3/search/worker.h"
#include "threads_option.h"

namespace e3::cli {
namespace {

using search::StudyStore;

constexpr const char* kWorkerFlag = "worker-process";
// The study's location, as the coordinator passes it to its workers: in their environment, not
// on their command lines, which any user of the machine can read (ps) and where a PostgreSQL
// URL would show its password.
constexpr const char* kStudyVariable = "E3CPP_HPSEARCH_STUDY";

ArgParser make_parser() {
  ArgParser parser(
      "e3cpp hpsearch",
      "Random hyperparameter search (thesis Section 3.2.1): samples --trials configurations from a search space\n"
      "(default: Table 3.3, printed by --print-space) and trains each for --epochs, as a study kept in a database\n"
      "that any number of workers share. A trial is a normal run directory (e3cpp eval works on it) beside its\n"
      "configuration file (e3cpp train --config reads it). Running the same command again resumes the study.\n"
      "\n"
      "STUDY is an SQLite file (one machine: the default; SQLite is not safe on network file systems) or\n"
      "postgresql://USER@HOST:PORT/DB (a PostgreSQL server: the same command on other machines adds workers).");
  parser.option("study", "STUDY", "the study's database: an SQLite file, or postgresql://USER@HOST:PORT/DB")
      .option("name", "NAME", "the study's name within the database", std::string("hpsearch"))
      .option("data", "DATA", "the molecules every trial trains on (QM9 file, directory, archive, extended XYZ)")
      .option("trials", "N", "trials in the study; a later command may raise it", std::string("40"))
      .option("epochs", "N", "epochs per trial", std::string("10"))
      .option("seed", "S", "seed of the sampling and of every trial's split and training", std::string("0"))
      .option("targets", "LIST", "all, or comma-separated QM9 targets, trained together", std::string("all"))
      .option("split", "SPLIT", "train,val[,test] counts or fractions (default: e3cpp train's)")
      .option("space", "FILE", "the search space, JSON (default: Table 3.3)")
      .flag("print-space", "print the default search space (Table 3.3) as a file --space reads")
      .option("prune", "METHOD", "none, or asha: stop trials that fall behind at epochs r, r*eta, ...",
              std::string("none"))
      .option("asha-reduction-factor", "ETA", "ASHA keeps the best 1/ETA of the trials at each rung", std::string("3"))
      .option("asha-min-epochs", "R", "ASHA's first rung, in epochs", std::string("2"))
      .option("workers", "N", "worker processes this command starts", std::string("1"))
      .option("runs", "DIR", "where this machine's trials go (default: FILE-NAME-runs beside an SQLite FILE, else ./NAME-runs)")
      .option("heartbeat-timeout", "SECONDS",
              "a running trial silent this long is requeued and resumed (its worker stops it after half of it)",
              std::string("60"))
      .option("max-attempts", "N", "a trial whose worker died this many times has failed", std::string("3"))
      .option("runner", "KIND", "train, or synthetic (learning curves without training, to try the search out)",
              std::string("train"))
      .option("synthetic-epoch-seconds", "X", "how long a synthetic epoch takes", std::string("0.05"))
      .flag("report", "print the leaderboard of STUDY instead of searching")
      .flag("json", "with --report: the leaderboard as JSON")
      .flag("csv", "with --report: the leaderboard as CSV")
      .option("best-for", "TARGET", "print the configuration file of the best complete trial on TARGET")
      .hidden_flag(kWorkerFlag);
  add_threads_option(parser);
  parser.epilog(
      "Leaderboard: trials ranked by the number of targets on which each has the lowest test MAE (as the thesis\n"
      "ranked ARandNet and BRandNet), ties by the mean of test MAE / sigma over the targets.\n"
      "Ctrl-C: the workers save their trials and stop; the same command resumes the study (an interrupted trial\n"
      "does not count against --max-attempts).\n"
      "--threads is per worker (default: the cores divided among the workers). With PostgreSQL, a --runs directory\n"
      "that every machine mounts at the same path lets a trial whose worker died resume on another machine.\n"
      "\n"
      "  e3cpp hpsearch --study study.db --data DATA --workers 2            # search\n"
      "  e3cpp hpsearch --study study.db --report                           # leaderboard\n"
      "  e3cpp train --config $(e3cpp hpsearch --study study.db --best-for mu) --out RUN       # retrain it");
  return parser;
}

// --- signals ---------------------------------------------------------------------------------

// The coordinator counts SIGINT/SIGTERM and passes each on to the workers (which sit in process
// groups of their own, so that a terminal's Ctrl-C reaches them only through it).
std::atomic<int> signals_received{0};
std::atomic<int> last_signal{0};
void count_signal(int signal) {
  last_signal = signal;
  ++signals_received;
}

// A worker's first SIGINT/SIGTERM stops it after saving its trial; a second one kills it.
std::atomic<bool> worker_stop{false};
void stop_worker(int signal) {
  worker_stop = true;
  std::signal(signal, SIG_DFL);
}

// --- options ---------------------------------------------------------------------------------

long long at_least(const ParsedArgs& parsed, const std::string& name, long long minimum) {
  const long long value = parsed.integer(name);
  if (value < minimum) throw UsageError("--" + name + " must be at least " + std::to_string(minimum));
  return value;
}

std::string runs_dir(const ParsedArgs& parsed) {
  if (parsed.given("runs")) return std::filesystem::absolute(parsed.value("runs")).lexically_normal().string();
  return search::default_runs_directory(parsed.value("study"), parsed.value("name"));
}

// The definition the command line asks for: `definition` (the stored study's, or the defaults
// for a new one) with the options given on the command line (every option, defaults included,
// for a new study).
search::StudyDefinition requested_definition(search::StudyDefinition definition, const ParsedArgs& parsed, bool is_new) {
  auto take = [&](const char* name) { return is_new || parsed.given(name); };
  auto& settings = definition.settings;
  if (take("seed")) definition.seed = static_cast<uint64_t>(at_least(parsed, "seed", 0));
  if (parsed.given("space")) definition.space = search::SearchSpace::from_file(parsed.value("space"));
  if (take("epochs")) settings.epochs = at_least(parsed, "epochs", 1);
  if (take("data") && parsed.given("data")) {
    const std::string data = parsed.value("data");
    if (!std::filesystem::exists(data)) throw std::runtime_error(data + ": no such file or directory");
    settings.data = std::filesystem::absolute(data).lexically_normal().string();
  }
  if (take("targets")) {
    settings.targets = parsed.value("targets");
    try {
      search::parse_target_list(settings.targets);
    } catch (const std::invalid_argument& error) {
      throw UsageError(std::string("--targets: ") + error.what());
    }
  }
  if (take("split") && parsed.given("split")) settings.split = parsed.value("split");
  if (take("runner")) {
    settings.runner = parsed.value("runner");
    if (settings.runner != "train" && settings.runner != "synthetic") {
      throw UsageError("--runner must be train or synthetic, not '" + settings.runner + "'");
    }
  }
  if (take("synthetic-epoch-seconds")) {
    settings.synthetic_epoch_seconds = parsed.real("synthetic-epoch-seconds");
    if (!(settings.synthetic_epoch_seconds >= 0)) throw UsageError("--synthetic-epoch-seconds must not be negative");
  }
  if (take("prune")) {
    const std::string prune = parsed.value("prune");
    if (prune != "none" && prune != "asha") throw UsageError("--prune must be none or asha, not '" + prune + "'");
    settings.prune = prune == "asha";
  }
  if (take("asha-reduction-factor")) settings.asha.reduction_factor = at_least(parsed, "asha-reduction-factor", 2);
  if (take("asha-min-epochs")) settings.asha.min_epochs = at_least(parsed, "asha-min-epochs", 1);
  if (take("trials")) settings.trials = at_least(parsed, "trials", 1);
  if (take("heartbeat-timeout")) {
    settings.heartbeat_timeout = parsed.real("heartbeat-timeout");
    if (!(settings.heartbeat_timeout > 0)) throw UsageError("--heartbeat-timeout must be positive");
  }
  if (take("max-attempts")) settings.max_attempts = at_least(parsed, "max-attempts", 1);
  if (is_new && settings.runner == "train" && settings.data.empty()) {
    throw UsageError("a new study needs --data DATA (the molecules its trials train on)");
  }
  return definition;
}

// The study this command searches: created, or checked against the stored one (and extended).
search::StudyDefinition prepare_study(StudyStore& store, const ParsedArgs& parsed) {
  const auto stored = store.definition();
  search::StudyDefinition base;
  base.name = parsed.value("name");
  base.space = search::SearchSpace::table_3_3();
  const auto requested = requested_definition(stored ? *stored : base, parsed, !stored);
  try {
    return search::prepare_study(store, stored, requested);
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }
}

void describe(const search::StudyDefinition& definition, const StudyStore& store, const std::string& runs) {
  const auto& s = definition.settings;
  std::cout << "study " << store.description() << ": " << s.trials << " trials of " << s.epochs
            << " epochs, targets " << s.targets << ", seed " << definition.seed;
  if (s.runner == "synthetic") std::cout << ", synthetic learning curves";
  if (s.prune) {
    std::cout << ", ASHA pruning at epochs";
    for (auto rung : search::asha_rungs(s.asha, s.epochs)) std::cout << ' ' << rung;
    std::cout << " (keeps 1/" << s.asha.reduction_factor << ")";
  }
  std::cout << "\nruns in " << runs << std::endl;
}

// --- the modes -------------------------------------------------------------------------------

int print_space() {
  std::cout << search::SearchSpace::table_3_3().to_json().dump(2) << std::endl;
  return 0;
}

search::StudyDefinition existing_study(StudyStore& store) {
  auto definition = store.definition();
  if (!definition) throw std::runtime_error(store.description() + ": no such study (give --name)");
  return *definition;
}

int report(const ParsedArgs& parsed) {
  if (parsed.flag("json") && parsed.flag("csv")) throw UsageError("--json and --csv: choose one");
  auto store = StudyStore::open(parsed.value("study"), parsed.value("name"), StudyStore::Mode::open);
  const auto board = search::Leaderboard::of(*store, existing_study(*store));
  if (parsed.flag("json")) {
    std::cout << board.json().dump(2) << std::endl;
  } else if (parsed.flag("csv")) {
    std::cout << board.csv();
  } else {
    std::cout << "study " << store->description() << ": " << board.status_line() << "\n\n" << board.text();
  }
  return 0;
}

int best_for(const ParsedArgs& parsed) {
  auto store = StudyStore::open(parsed.value("study"), parsed.value("name"), StudyStore::Mode::open);
  const auto board = search::Leaderboard::of(*store, existing_study(*store));
  const std::string target = parsed.value("best-for");
  const search::TrialRecord* best = nullptr;
  try {
    best = board.best_for(target);
  } catch (const std::invalid_argument& error) {
    throw UsageError(std::string("--best-for: ") + error.what());
  }
  if (!best) throw std::runtime_error(store->description() + ": no trial is complete yet");
  std::cout << search::trial_config_file(best->run_dir) << std::endl;
  return 0;
}

// One worker process (started by the coordinator below with the hidden flag, the study in
// kStudyVariable).
int worker_process(const ParsedArgs& parsed) {
  apply_threads_option(parsed);
  std::signal(SIGINT, stop_worker);
  std::signal(SIGTERM, stop_worker);
  const char* location = std::getenv(kStudyVariable);
  if (!location || !*location) {
    throw UsageError(std::string("--") + kWorkerFlag + " needs the study's location in " + kStudyVariable);
  }
  const std::string study = location, name = parsed.value("name");
  auto store = StudyStore::open(study, name, StudyStore::Mode::open);
  auto heartbeat_store = StudyStore::open(study, name, StudyStore::Mode::open);
  const auto runner = search::make_runner(existing_study(*store).settings);
  search::WorkerOptions options;
  options.worker_id = search::default_worker_id();
  options.runs_dir = runs_dir(parsed);
  const auto summary = search::run_worker(*store, *heartbeat_store, *runner, options, worker_stop, std::cout);
  return summary.interrupted ? 130 : 0;
}

int search_study(const ParsedArgs& parsed) {
  const long long workers = at_least(parsed, "workers", 1);
  auto store = StudyStore::open(parsed.value("study"), parsed.value("name"), StudyStore::Mode::create);
  const auto definition = prepare_study(*store, parsed);
  const std::string runs = runs_dir(parsed);
  search::claim_runs_directory(runs, definition, store->description());
  describe(definition, *store, runs);

  const int cores = perf::available_cpus();  // the affinity mask's, within a cgroup quota
  const std::string threads =
      parsed.given("threads") ? parsed.value("threads") : std::to_string(std::max<long long>(1, cores / workers));
  const std::vector<std::string> worker_arguments = {"hpsearch", "--name", parsed.value("name"), "--runs", runs,
                                                     "--threads", threads, std::string("--") + kWorkerFlag};
  std::signal(SIGINT, count_signal);
  std::signal(SIGTERM, count_signal);
  ChildProcesses children;
  const std::string log = runs + "/workers.log";
  for (long long i = 0; i < workers; ++i) {
    children.start(worker_arguments, log, {{kStudyVariable, parsed.value("study")}});
  }
  std::cout << workers << (workers == 1 ? " worker" : " workers") << " (pid";
  for (auto pid : children.pids()) std::cout << ' ' << pid;
  std::cout << ", " << threads << " threads each), log in " << log << std::endl;

  // The status line comes from the database. One that does not answer is tried again at every
  // poll (one try each, so that the workers are still watched and Ctrl-C still passed on), for
  // as long as a trial's heartbeat may be silent; the workers meanwhile stop their trials if
  // they cannot reach it either.
  store->set_retry_limit(0.0);
  const auto patience = std::chrono::duration<double>(definition.settings.heartbeat_timeout);
  std::optional<std::chrono::steady_clock::time_point> failing_since;
  std::string last_line;
  int forwarded = 0;
  for (;;) {
    while (forwarded < signals_received) {
      children.signal_running(last_signal);
      ++forwarded;
    }
    const bool finished = children.reap();
    try {
      const std::string line = search::Leaderboard::of(*store, definition).status_line();
      if (line != last_line) std::cout << line << std::endl;
      last_line = line;
      failing_since.reset();
    } catch (const search::StoreError& error) {
      const auto now = std::chrono::steady_clock::now();
      if (!failing_since) {
        failing_since = now;
        std::cout << "the study database failed (" << error.what() << "); trying again for "
                  << definition.settings.heartbeat_timeout << " s" << std::endl;
      } else if (now - *failing_since > patience && !finished) {
        std::ostringstream message;
        message << error.what() << "; the study database has not answered for "
                << definition.settings.heartbeat_timeout
                << " s (the heartbeat timeout): the search stops, and the same command resumes it";
        throw search::StoreError(message.str());
      }
    }
    if (finished) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }

  if (signals_received > 0) {
    std::cout << "interrupted: the workers saved their trials; the same command resumes the study" << std::endl;
    return 130;
  }
  for (size_t i = 0; i < children.pids().size(); ++i) {
    if (children.exit_codes()[i] != 0) {
      throw std::runtime_error("worker " + std::to_string(children.pids()[i]) + " exited with status " +
                               std::to_string(children.exit_codes()[i]) + " (see " + log +
                               "); the same command resumes the study");
    }
  }
  std::cout << "search finished; the leaderboard: e3cpp hpsearch --study "
            << StudyStore::without_password(parsed.value("study"))
            << (parsed.given("name") ? " --name " + parsed.value("name") : "") << " --report" << std::endl;
  return 0;
}

}  // namespace

int run_hpsearch(const Arguments& args) {
  const auto parsed = make_parser().parse(args);
  if (parsed.flag("print-space")) return print_space();
  if (parsed.flag(kWorkerFlag)) return worker_process(parsed);
  if (!parsed.given("study")) throw UsageError("give --study STUDY (an SQLite file or a postgresql:// URL)");
  if (parsed.given("best-for")) return best_for(parsed);
  if (parsed.flag("report")) return report(parsed);
  if (parsed.flag("json") || parsed.flag("csv")) throw UsageError("--json and --csv go with --report");
  return search_study(parsed);
}

}  // namespace e3::cli
