// e3cpp train: train a network (L·Net or the multi-target network) on QM9 targets, or
// continue a run.

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "args.h"
#include "commands.h"
#include "config_options.h"
#include "e3/data/targets.h"
#include "e3/dist/launcher.h"
#include "e3/dist/process_group_data_parallel.h"
#include "e3/dist/world_options.h"
#include "e3/train/config.h"
#include "e3/train/ensemble.h"
#include "e3/train/trainer.h"
#include "threads_option.h"

namespace e3::cli {
namespace {

std::atomic<bool> stop_requested{false};

// The first Ctrl-C (or SIGTERM) asks training to stop after the current batch and save;
// a second one kills the process as usual.
void request_stop(int signal) {
  stop_requested = true;
  std::signal(signal, SIG_DFL);
}

ArgParser make_parser() {
  ArgParser parser("e3cpp train",
                   "Trains a network on QM9 targets with Adam: an L-Net (thesis Section 3.1, Figure 3.1) or the\n"
                   "multi-target network with MLP output blocks (Section 3.2, Figure 3.6), on one target or several\n"
                   "(--targets mu,alpha or --targets all); or continues a run where it stopped (--resume). RUN\n"
                   "receives config.json, split.json, metrics.csv, learning_curve.svg, best.pt and last.pt.");
  parser.option("config", "FILE", "a JSON configuration, e.g. configs/l1net.json (Table 3.1), configs/arandnet.json")
      .option("out", "RUN", "directory of the new run")
      .option("resume", "RUN", "continue the run in RUN (only --epochs, --max-minutes, --checkpoint-minutes, --data)")
      .option("target", "NAME", "another name of --targets")
      .option("ensemble", "K",
              "train an ensemble of K members in RUN (member-1 ... member-K), differing only in the seed of the\n"
              "initialization and data order (seed, seed+1, ...; the split of seed), one after another, or\n"
              "with --nproc N, N processes that train every N-th member each: eval and predict give their mean\n"
              "and standard deviation")
      .option("nproc", "N",
              "train with N processes on this machine (one thread each unless --threads): one model on shares of\n"
              "every batch, or with --ensemble, each process its own members")
      .option("world-size", "N", "the number of processes of a run started by hand or by a scheduler")
      .option("rank", "R", "this process' rank in such a run (rank 0 writes the run)")
      .option("master", "HOST:PORT", "rank 0's address, which every rank must reach")
      .option("dist-timeout", "SECONDS", "how long joining, a step's communication or a silent rank may take (300)")
      .option("dist-backend", "NAME", "the collective backend: gloo (CPU; nccl needs a CUDA build)");
  add_threads_option(parser);
  add_config_options(parser);
  parser.epilog(
      "Every key of a configuration file can be given as a flag; precedence: defaults < --config < flags.\n"
      "Ctrl-C stops after the current batch and saves; `e3cpp train --resume RUN` continues exactly.\n"
      "Several processes train one model on their shares of every batch (gradients summed over them): --nproc N\n"
      "on one machine, or --world-size/--rank/--master (or torchrun's WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT)\n"
      "for processes started on several machines.");
  return parser;
}

// train's arguments without --nproc.
std::vector<std::string> arguments_without_nproc(const Arguments& args) {
  std::vector<std::string> arguments{"train"};
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--nproc") {
      ++i;
    } else if (args[i].rfind("--nproc=", 0) != 0) {
      arguments.push_back(args[i]);
    }
  }
  return arguments;
}

// How many ranks --nproc starts, with how many threads each (one unless --threads), checked.
dist::LaunchOptions launch_options(const ParsedArgs& parsed) {
  for (const char* option : {"world-size", "rank", "master"}) {
    if (parsed.given(option)) throw UsageError(std::string("--nproc starts the processes itself; --") + option + " is for ranks started by hand");
  }
  const long long nproc = parsed.integer("nproc");
  if (nproc < 1) throw UsageError("--nproc must be at least 1");
  const auto threads = parsed.given("threads") ? static_cast<int>(parsed.integer("threads")) : 1;
  if (threads < 1) throw UsageError("--threads must be at least 1");
  return dist::LaunchOptions(static_cast<int>(nproc)).threads_per_rank(threads);
}

// `e3cpp train ... --nproc N`: starts the ranks of train with `arguments` (which must not ask for
// --nproc again), supervises them and exits with the status of the first that fails.
int launch_ranks(const dist::LaunchOptions& options, const std::vector<std::string>& arguments) {
  const auto result = dist::launch(options, arguments, dist::current_environment());
  if (!result.message.empty()) std::cerr << "e3cpp train: " << result.message << std::endl;
  return result.exit_code;
}

// This process' place among the processes it trains with: from --world-size, --rank, --master
// or torchrun's environment (also how many threads a launcher gave it); nullopt when none is
// given (this process alone).
std::optional<dist::WorldOptions> world_place(const ParsedArgs& parsed) {
  dist::WorldArguments arguments;
  auto given = [&](const char* name) {
    return parsed.given(name) ? std::optional<std::string>(parsed.value(name)) : std::nullopt;
  };
  arguments.world_size = given("world-size");
  arguments.rank = given("rank");
  arguments.master = given("master");
  arguments.timeout = given("dist-timeout");
  arguments.backend = given("dist-backend");
  const auto environment = dist::current_environment();
  try {
    auto world = dist::world_options(arguments, environment);
    // A launcher (--nproc, torchrun) passes each rank its thread count; --threads wins.
    if (!parsed.given("threads")) {
      if (const auto threads = dist::threads_from_environment(environment)) torch::set_num_threads(*threads);
    }
    return world;
  } catch (const dist::OptionError& error) {
    throw UsageError(error.what());
  }
}

// How a training command ended, on `out`; the exit status. `run` is what `--resume` continues
// (an ensemble's directory for its members).
int report_outcome(const train::Trainer& trainer, train::Trainer::Outcome outcome, const std::string& run,
                   std::ostream& out) {
  const auto& state = trainer.state();
  // The best validation in words: the MAE of a single target, the score of several.
  std::ostringstream best;
  const auto& targets = trainer.targets();
  const auto& history = state.history;
  const auto best_record = std::find_if(history.begin(), history.end(),
                                        [&](const auto& record) { return record.step == state.best_step; });
  if (best_record == history.end()) {
    best << "no validation yet";
  } else if (targets.size() == 1) {
    best << "best validation MAE " << best_record->targets[0].mae << ' ' << data::thesis_unit(targets[0]) << " (epoch "
         << best_record->epoch << ", step " << best_record->step << ")";
  } else {
    best << "best validation score " << best_record->score << " (epoch " << best_record->epoch << ", step "
         << best_record->step << ")";
  }
  using Outcome = train::Trainer::Outcome;
  switch (outcome) {
    case Outcome::finished:
    case Outcome::early_stopped:
      out << (outcome == Outcome::finished ? "finished " : "stopped early after ") << state.epoch << " epochs; "
          << best.str() << "; run in " << trainer.directory().path() << std::endl;
      return 0;
    case Outcome::time_limit:
    case Outcome::interrupted:
    case Outcome::step_limit:
    case Outcome::stopped_by_observer:
      out << (outcome == Outcome::interrupted ? "interrupted" : "time limit reached") << " at epoch " << state.epoch + 1
          << ", batch " << state.batch << "; " << best.str() << "; saved. Continue with: e3cpp train --resume " << run
          << std::endl;
      return outcome == Outcome::interrupted ? 130 : 0;
  }
  return 0;
}

// Whether a training that ended so goes on to the next member of an ensemble.
bool completed(train::Trainer::Outcome outcome) {
  return outcome == train::Trainer::Outcome::finished || outcome == train::Trainer::Outcome::early_stopped;
}

using Flags = std::vector<std::pair<std::string, std::string>>;

// Whether the command trains an ensemble: a new one (--ensemble) or one it resumes.
bool trains_ensemble(const ParsedArgs& parsed) {
  return parsed.given("ensemble") || (parsed.given("resume") && train::is_ensemble(parsed.value("resume")));
}

// The ensemble's directory, after checking that the options fit an ensemble.
std::string ensemble_run(const ParsedArgs& parsed) {
  if (parsed.given("resume")) {
    if (parsed.given("out") || parsed.given("config") || parsed.given("ensemble")) {
      throw UsageError("--resume continues an ensemble with its own configuration; --out, --config and --ensemble do not apply");
    }
    return parsed.value("resume");
  }
  if (!parsed.given("out")) throw UsageError("give --out RUN for a new ensemble");
  return parsed.value("out");
}

// Makes the directory of the new ensemble the options describe (--ensemble K --out RUN).
void create_ensemble_from_options(const ParsedArgs& parsed) {
  const long long members = parsed.integer("ensemble");
  if (members < 1) throw UsageError("--ensemble must be at least 1");
  auto config = config_from_options(parsed);
  config.validate();
  train::create_ensemble(parsed.value("out"), members, config);
}

// Member k's configuration when it starts: the ensemble's, with `overrides` (those of --resume,
// which may change only what resuming a run may).
train::TrainConfig starting_member_config(const std::string& run, int64_t k, const Flags& overrides) {
  auto config = train::ensemble_member_config(run, k);
  train::Trainer::apply_resume_overrides(config, overrides);
  return config;
}

// `e3cpp train --ensemble K --out RUN ...` or `--resume RUN` of an ensemble, in this process:
// the members `world` gives it (all of them when alone), one after another; a member already
// finished returns at once, one not yet started starts from the ensemble's configuration.
int train_ensemble(const ParsedArgs& parsed, const Flags& flags, const std::optional<dist::WorldOptions>& world,
                   std::ostream& out) {
  const std::string run = ensemble_run(parsed);
  const bool resume = parsed.given("resume");
  if (!resume) {
    if (world && world->world_size() > 1) {
      throw UsageError("several processes train the members of an ensemble that exists: give --nproc N (or --resume " +
                       run + " to the processes started by hand)");
    }
    create_ensemble_from_options(parsed);
  }
  const int64_t members = train::ensemble_members(run);
  const int processes = world ? world->world_size() : 1;
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  for (const int64_t k : train::ensemble_members_of_process(members, world ? world->rank() : 0, processes)) {
    const std::string member = train::ensemble_member_path(run, k);
    out << "member " << k << " of " << members << ": " << member << std::endl;
    std::optional<train::Trainer> trainer;
    if (std::filesystem::exists(member + "/config.json")) {
      trainer.emplace(train::Trainer::resume(member, flags, out));
    } else {
      trainer.emplace(train::Trainer::start(starting_member_config(run, k, resume ? flags : Flags{}), member, out));
    }
    // The ranks of --nproc share the terminal: no progress line redrawn in place.
    train::Progress progress(out, processes == 1 && train::Progress::stdout_is_terminal());
    const auto outcome = trainer->run(progress, &stop_requested);
    const int status = report_outcome(*trainer, outcome, run, out);
    if (!completed(outcome)) return status;
  }
  if (processes == 1) out << "ensemble of " << members << " members in " << run << std::endl;
  return 0;
}

// `e3cpp train --ensemble K --nproc N ...` or `--resume RUN --nproc N` of an ensemble: N ranks
// that each train every N-th member (with one thread each unless --threads), the ensemble made
// first when it is new.
int launch_ensemble_ranks(const Arguments& args, const ParsedArgs& parsed) {
  const auto options = launch_options(parsed);
  const std::string run = ensemble_run(parsed);
  if (parsed.given("resume")) return launch_ranks(options, arguments_without_nproc(args));
  create_ensemble_from_options(parsed);
  return launch_ranks(options, {"train", "--resume", run});
}

}  // namespace

int run_train(const Arguments& args) {
  const ArgParser parser = make_parser();
  const auto parsed = parser.parse(args);
  if (parsed.given("nproc")) {
    return trains_ensemble(parsed) ? launch_ensemble_ranks(args, parsed)
                                   : launch_ranks(launch_options(parsed), arguments_without_nproc(args));
  }
  apply_threads_option(parsed);
  const auto flags = config_flags(parsed);
  const auto world = world_place(parsed);
  if (trains_ensemble(parsed)) return train_ensemble(parsed, flags, world, std::cout);

  const std::shared_ptr<train::DataParallel> parallel = dist::make_data_parallel(world);
  // Rank 0 alone speaks for the run.
  std::ostream silent(nullptr);
  std::ostream& out = parallel->is_main() ? std::cout : silent;
  std::optional<train::Trainer> trainer;
  if (parsed.given("resume")) {
    if (parsed.given("out") || parsed.given("config")) {
      throw UsageError("--resume continues a run with its own configuration; --out and --config do not apply");
    }
    trainer.emplace(train::Trainer::resume(parsed.value("resume"), flags, out, parallel));
  } else {
    if (!parsed.given("out")) throw UsageError("give --out RUN for a new run (or --resume RUN to continue one)");
    trainer.emplace(train::Trainer::start(config_from_options(parsed), parsed.value("out"), out, parallel));
  }

  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  train::Progress progress(out, parallel->is_main() && train::Progress::stdout_is_terminal());
  const auto outcome = trainer->run(progress, &stop_requested);
  return report_outcome(*trainer, outcome, trainer->directory().path(), out);
}

}  // namespace e3::cli
