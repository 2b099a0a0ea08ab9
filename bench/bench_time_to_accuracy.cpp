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

#include "bench_arguments.h"
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
  e3::bench::BenchArguments arguments("bench_time_to_accuracy");
  arguments.value("data", options.data)
      .value("train", options.train)
      .value("val", options.val)
      .value("epochs", options.epochs)
      .value("validate-every", options.validate_every)
      .value("threads", options.threads)
      .value("max-minutes", options.max_minutes)
      .value("out", options.out)
      .value("svg", options.svg)
      .each("setting", [&](const std::string& name) { options.settings.push_back({name, named_changes(name)}); })
      .each("set", [&](const std::string& change) {
        if (options.settings.empty()) arguments.fail("--set KEY=VALUE follows a --setting NAME");
        options.settings.back().changes.push_back(e3::bench::BenchArguments::assignment(change));
      })
      .parse(argc, argv);
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
    e3::train::ChartSeries molecules{setting.name, {}, {}}, minutes{setting.name, {}, {}};
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
