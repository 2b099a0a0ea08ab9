// bench_time_to_accuracy: how fast training reaches a given accuracy. Trains L1Net (configs/
// l1net.json) on mu for a fixed budget of training molecules (epochs of a training split of
// fixed size, not minutes, so that the MAE after the budget is deterministic for a thread count
// and CPU), once per setting, validating every N steps, and reports the validation MAE
// against molecules seen and against training time. Settings: "thesis" (Table 3.1: Adam at a
// constant 1e-4, the mean squared error) and "fast" (configs/l1net-fast.json's changes), or
// a preset of key=value changes given with --set.
//
//   ./build/bench/bench_time_to_accuracy                      # 12,000 training molecules, 2 epochs
//   ./build/bench/bench_time_to_accuracy --setting fast --epochs 8 --svg curves.svg
//   ./build/bench/bench_time_to_accuracy --setting mine --set learning_rate=3e-4 --set ema_decay=0.99

#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "args.h"
#include "e3/data/atomic_file.h"
#include "e3/train/config.h"
#include "e3/train/line_chart.h"
#include "e3/train/reuse_freed_memory.h"
#include "e3/train/trainer.h"

namespace {

struct Setting {
  std::string name;
  std::vector<std::pair<std::string, std::string>> changes;
};

struct Options {
  std::string data = std::string(E3_SOURCE_DIR) + "/../shared/qm9/qm9.extxyz.gz";
  int64_t train = 12000, val = 1000, epochs = 2;
  std::string validate_every = "250 steps";
  int threads = 2;
  double max_minutes = 0.0;
  std::string out, svg;
  std::vector<Setting> settings;
};

// The changes of a named setting: "thesis" is Table 3.1 as the preset has it; "fast" is what
// configs/l1net-fast.json changes (read from the file, so that the benchmark measures exactly
// the preset that the README recommends).
std::vector<std::pair<std::string, std::string>> named_changes(const std::string& name) {
  if (name == "thesis") return {};
  if (name == "fast") {
    const auto fast = e3::train::TrainConfig::from_file(std::string(E3_SOURCE_DIR) + "/configs/l1net-fast.json").json();
    const auto base = e3::train::TrainConfig::from_file(std::string(E3_SOURCE_DIR) + "/configs/l1net.json").json();
    std::vector<std::pair<std::string, std::string>> changes;
    for (const auto& [key, value] : fast.items()) {
      if (base.at(key) != value) changes.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
    }
    return changes;
  }
  return {};
}

Options parse(int argc, char** argv) {
  Options options;
  e3::cli::ArgParser parser("bench_time_to_accuracy",
                           "Validation MAE of L1Net on mu against molecules seen and training time, per setting.");
  parser.option("data", "FILE", "molecules (the split is taken from them)", options.data)
      .option("train", "N", "training molecules", std::to_string(options.train))
      .option("val", "N", "validation molecules", std::to_string(options.val))
      .option("epochs", "N", "epochs of each run", std::to_string(options.epochs))
      .option("validate-every", "WHEN", "validation interval", options.validate_every)
      .option("threads", "N", "threads of each run", std::to_string(options.threads))
      .option("max-minutes", "M", "time limit of each run (0: none)", "0")
      .option("out", "DIR", "keep the runs in DIR (for e3cpp compare)")
      .option("svg", "FILE", "write the curves as an SVG figure")
      .option("setting", "NAME", "a setting: thesis, fast, or a name for the --set changes after it (repeatable)")
      .option("set", "KEY=VALUE", "a change of the setting before it (repeatable)");
  e3::cli::parse_program_arguments(parser, argc, argv, [&](const e3::cli::ParsedArgs& args) {
    options.data = args.value("data");
    options.train = args.integer("train");
    options.val = args.integer("val");
    options.epochs = args.integer("epochs");
    options.validate_every = args.value("validate-every");
    options.threads = static_cast<int>(args.integer("threads"));
    options.max_minutes = args.real("max-minutes");
    options.out = args.get("out").value_or("");
    options.svg = args.get("svg").value_or("");
    // A --set belongs to the --setting before it, so the two are read in command-line order.
    for (const auto& [name, value] : args.given_options()) {
      if (name == "setting") {
        options.settings.push_back({value, named_changes(value)});
      } else if (name == "set") {
        if (options.settings.empty()) throw e3::cli::UsageError("--set KEY=VALUE follows a --setting NAME");
        options.settings.back().changes.push_back(e3::cli::key_value("set", value));
      }
    }
  });
  if (options.settings.empty()) options.settings = {{"thesis", named_changes("thesis")}, {"fast", named_changes("fast")}};
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  e3::train::reuse_freed_memory();
  const Options options = parse(argc, argv);
  torch::set_num_threads(options.threads);
  const std::string out = options.out.empty()
                              ? std::filesystem::temp_directory_path().string() + "/e3-time-to-accuracy-" + std::to_string(getpid())
                              : options.out;
  std::printf("L1Net on mu: %lld training molecules x %lld epochs of %s, validation on %lld every %s; %d threads\n",
              (long long)options.train, (long long)options.epochs, options.data.c_str(), (long long)options.val,
              options.validate_every.c_str(), torch::get_num_threads());
  std::vector<e3::train::ChartSeries> by_molecules, by_time;
  std::ostringstream summary;
  summary << "\nsetting   changes                                                    best val MAE [D]  final [D]  training min\n";
  for (const auto& setting : options.settings) {
    auto config = e3::train::TrainConfig::from_file(std::string(E3_SOURCE_DIR) + "/configs/l1net.json");
    config.set("targets", "mu", "bench");
    config.set("data", options.data, "bench");
    config.set("split", std::to_string(options.train) + "," + std::to_string(options.val) + ",0", "bench");
    config.set("epochs", options.epochs, "bench");
    config.set("validate_every", options.validate_every, "bench");
    config.set("max_minutes", options.max_minutes, "bench");
    std::string changes;
    for (const auto& [key, value] : setting.changes) {
      config.set_from_text(key, value, "--set");
      changes += (changes.empty() ? "" : " ") + key + "=" + value;
    }
    std::printf("\n%s: %s\n", setting.name.c_str(), changes.empty() ? "(Table 3.1)" : changes.c_str());
    const std::string run = out + "/" + setting.name;
    std::filesystem::remove_all(run);
    std::ostringstream log;
    auto trainer = e3::train::Trainer::start(config, run, log);
    e3::train::Progress progress(std::cout, false);
    trainer.run(progress);
    e3::train::ChartSeries molecules{setting.name, {}, {}, {}}, minutes{setting.name, {}, {}, {}};
    for (const auto& record : trainer.state().history) {
      molecules.x.push_back(double(record.molecules));
      molecules.y.push_back(record.targets[0].mae);
      minutes.x.push_back(record.elapsed_seconds / 60.0);
      minutes.y.push_back(record.targets[0].mae);
    }
    by_molecules.push_back(molecules);
    by_time.push_back(minutes);
    const auto& last = trainer.state().history.back();
    char line[512];
    double best = 1e300;
    for (const auto& record : trainer.state().history) best = std::min(best, record.targets[0].mae);
    std::snprintf(line, sizeof line, "%-9s %-58s %16.4f %10.4f %13.1f\n", setting.name.c_str(),
                  changes.empty() ? "(Table 3.1)" : changes.c_str(), best, last.targets[0].mae,
                  last.elapsed_seconds / 60.0);
    summary << line;
  }
  std::printf("%s", summary.str().c_str());
  if (!options.svg.empty()) {
    // Two charts side by side are two files: curves against molecules seen, and against time.
    e3::data::write_file_atomically(
        options.svg, e3::train::line_chart_svg(by_molecules, {"L1Net on mu: validation MAE against molecules seen",
                                                              "training molecules seen", "validation MAE (D, log scale)"}));
    const std::string time_svg = options.svg.substr(0, options.svg.rfind('.')) + "-time.svg";
    e3::data::write_file_atomically(
        time_svg, e3::train::line_chart_svg(by_time, {"L1Net on mu: validation MAE against training time",
                                                      "training time (minutes)", "validation MAE (D, log scale)"}));
    std::printf("curves: %s, %s\n", options.svg.c_str(), time_svg.c_str());
  }
  return 0;
}
