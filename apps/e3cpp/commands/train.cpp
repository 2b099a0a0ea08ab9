// e3cpp train: train an L·Net on one QM9 target, or continue a run.

#include <atomic>
#include <csignal>
#include <iostream>
#include <optional>
#include <string>

#include "args.h"
#include "commands.h"
#include "e3/data/targets.h"
#include "e3/train/config.h"
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

std::string flag_name(const std::string& key) {
  std::string flag = key;
  for (char& c : flag) c = c == '_' ? '-' : c;
  return flag;
}

std::string key_name(const std::string& flag) {
  std::string key = flag;
  for (char& c : key) c = c == '-' ? '_' : c;
  return key;
}

const char* metavar(train::ConfigType type) {
  switch (type) {
    case train::ConfigType::integer: return "N";
    case train::ConfigType::number: return "X";
    case train::ConfigType::string: return "TEXT";
    case train::ConfigType::boolean: return "BOOL";
  }
  return "VALUE";
}

ArgParser make_parser() {
  ArgParser parser("e3cpp train",
                   "Trains an L-Net (thesis Section 3.1) on one QM9 target with Adam, validating after every epoch,\n"
                   "or continues a run where it stopped (--resume). RUN receives config.json, split.json,\n"
                   "metrics.csv, learning_curve.svg, best.pt and last.pt.");
  parser.option("config", "FILE", "a JSON configuration, e.g. configs/l1net.json (Table 3.1)")
      .option("out", "RUN", "directory of the new run")
      .option("resume", "RUN", "continue the run in RUN (only --epochs, --max-minutes, --checkpoint-minutes, --data)");
  add_threads_option(parser);
  for (const auto& key : train::config_keys()) {
    parser.option(flag_name(key.name), metavar(key.type),
                  std::string(key.help) + " (default: " + key.default_value.dump() + ")");
  }
  parser.epilog(
      "Every key of a configuration file can be given as a flag; precedence: defaults < --config < flags.\n"
      "Ctrl-C stops after the current batch and saves; `e3cpp train --resume RUN` continues exactly.");
  return parser;
}

// The configuration keys given as flags, as (key, text) pairs.
std::vector<std::pair<std::string, std::string>> key_flags(const ParsedArgs& parsed) {
  std::vector<std::pair<std::string, std::string>> flags;
  for (const auto& [name, value] : parsed.given_options()) {
    if (train::find_config_key(key_name(name))) flags.emplace_back(key_name(name), value);
  }
  return flags;
}

}  // namespace

int run_train(const Arguments& args) {
  const ArgParser parser = make_parser();
  const auto parsed = parser.parse(args);
  apply_threads_option(parsed);
  const auto flags = key_flags(parsed);

  std::optional<train::Trainer> trainer;
  if (parsed.given("resume")) {
    if (parsed.given("out") || parsed.given("config")) {
      throw UsageError("--resume continues a run with its own configuration; --out and --config do not apply");
    }
    trainer.emplace(train::Trainer::resume(parsed.value("resume"), flags, std::cout));
  } else {
    if (!parsed.given("out")) throw UsageError("give --out RUN for a new run (or --resume RUN to continue one)");
    auto config = parsed.given("config") ? train::TrainConfig::from_file(parsed.value("config")) : train::TrainConfig();
    for (const auto& [key, text] : flags) {
      try {
        config.set_from_text(key, text, "--" + flag_name(key));
      } catch (const train::ConfigError& error) {
        throw UsageError(error.what());
      }
    }
    trainer.emplace(train::Trainer::start(std::move(config), parsed.value("out"), std::cout));
  }

  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  train::Progress progress(std::cout, train::Progress::stdout_is_terminal());
  const auto outcome = trainer->run(progress, &stop_requested);
  const auto& state = trainer->state();
  const std::string& run = trainer->directory().path();
  const std::string unit = data::thesis_unit(trainer->target());
  switch (outcome) {
    case train::Trainer::Outcome::finished:
      std::cout << "finished " << state.epoch << " epochs; best validation MAE " << state.best_val_mae << ' ' << unit
                << " (epoch " << state.best_epoch << "); run in " << run << std::endl;
      return 0;
    case train::Trainer::Outcome::time_limit:
    case train::Trainer::Outcome::interrupted:
    case train::Trainer::Outcome::step_limit:
      std::cout << (outcome == train::Trainer::Outcome::interrupted ? "interrupted" : "time limit reached")
                << " at epoch " << state.epoch + 1 << ", batch " << state.batch << "; saved. Continue with: e3cpp train --resume "
                << run << std::endl;
      return outcome == train::Trainer::Outcome::interrupted ? 130 : 0;
  }
  return 0;
}

}  // namespace e3::cli
