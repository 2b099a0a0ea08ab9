#include "e3/search/synthetic_runner.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <stdexcept>

#include "e3/data/atomic_file.h"
#include "e3/data/random.h"
#include "e3/data/targets.h"
#include "stoppable_sleep.h"

namespace e3::search {
namespace {

constexpr int64_t kMoleculesPerEpoch = 1000;

// A stream of uniform numbers on [0, 1) for `config` (FNV-1a of its JSON) and `stream`.
class ConfigRandom {
 public:
  ConfigRandom(const nlohmann::json& config, uint64_t stream) {
    uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : config.dump()) hash = (hash ^ c) * 1099511628211ull;
    engine_.seed(data::derive_seed(hash, stream));
  }
  double next() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

 private:
  std::mt19937_64 engine_;
};

struct Curve {
  std::string target;
  double sigma, start, final, test_factor;
};

// The curves of `config`; every parameter is a function of the configuration only.
std::vector<Curve> curves(const nlohmann::json& config, double* tau) {
  ConfigRandom random(config, 0);
  double quality = 0.8 * (random.next() - 0.5);
  if (config.contains("learning_rate") && config["learning_rate"].is_number()) {
    const double distance = std::log10(config["learning_rate"].get<double>() / 3e-3);
    quality += 0.3 * distance * distance;
  }
  *tau = 0.7 + 4.0 * random.next();
  std::vector<Curve> result;
  const auto names = parse_target_list(config.value("targets", std::string("all")));
  for (const auto& name : names) {
    ConfigRandom per_target(config, 1 + data::target_index(data::parse_target(name)));
    Curve curve;
    curve.target = name;
    curve.sigma = 1.0 + static_cast<double>(data::target_index(data::parse_target(name)));
    curve.start = curve.sigma * (0.4 + 0.3 * per_target.next());
    curve.final = std::min(0.9 * curve.start, curve.sigma * 0.03 * std::exp(quality + 0.8 * (per_target.next() - 0.5)));
    curve.test_factor = 0.98 + 0.04 * per_target.next();
    result.push_back(curve);
  }
  return result;
}

std::vector<TargetError> errors_after(const nlohmann::json& config, int64_t epoch, bool test) {
  double tau = 1.0;
  std::vector<TargetError> errors;
  for (const auto& curve : curves(config, &tau)) {
    double mae = curve.final + (curve.start - curve.final) * std::exp(-static_cast<double>(epoch) / tau);
    if (test) mae *= curve.test_factor;
    errors.push_back({curve.target, mae, curve.sigma, data::thesis_unit(data::parse_target(curve.target))});
  }
  return errors;
}

void append_event(const std::string& run_dir, const std::string& event) {
  std::ofstream(run_dir + "/events.log", std::ios::app) << event << std::endl;
}

}  // namespace

std::vector<TargetError> SyntheticRunner::validation_errors(const nlohmann::json& config, int64_t epoch) {
  return errors_after(config, epoch, false);
}

std::vector<TargetError> SyntheticRunner::test_errors(const nlohmann::json& config, int64_t epoch) {
  return errors_after(config, epoch, true);
}

void SyntheticRunner::check(const nlohmann::json& config, const std::string& origin) const {
  if (!config.contains("epochs") || !config["epochs"].is_number_integer() || config["epochs"].get<int64_t>() < 1) {
    throw std::invalid_argument(origin + ": 'epochs' must be a positive integer");
  }
  try {
    parse_target_list(config.value("targets", std::string("all")));
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(origin + ": 'targets': " + error.what());
  }
}

TrialResult SyntheticRunner::run(const nlohmann::json& config, const std::string& run_dir, bool resume,
                                 const ValidationCallback& on_validation, const std::atomic<bool>* stop) {
  const int64_t epochs = config.at("epochs").get<int64_t>();
  const std::string checkpoint = run_dir + "/synthetic.json";
  const std::string pid = std::to_string(getpid());
  std::filesystem::create_directories(run_dir);

  TrialResult result;
  result.best_score = std::numeric_limits<double>::infinity();
  auto report = [&](int64_t epoch) {
    ValidationReport validation;
    validation.epoch = epoch;
    validation.molecules_seen = epoch * kMoleculesPerEpoch;
    validation.errors = validation_errors(config, epoch);
    validation.score = normalized_error(validation.errors);
    result.best_score = std::min(result.best_score, validation.score);
    return on_validation(validation);
  };

  if (resume && std::filesystem::exists(checkpoint)) {
    const auto saved = nlohmann::json::parse(std::ifstream(checkpoint));
    result.epochs_done = saved.at("epoch").get<int64_t>();
    result.best_score = saved.at("best_score").get<double>();
    append_event(run_dir, "resume " + pid + " " + std::to_string(result.epochs_done));
    if (result.epochs_done > 0 && !report(result.epochs_done)) {
      result.outcome = TrialResult::Outcome::pruned;
      return result;
    }
  } else {
    append_event(run_dir, "start " + pid);
  }
  while (result.epochs_done < epochs) {
    if (!sleep_unless_stopped(epoch_seconds_, stop)) {
      result.outcome = TrialResult::Outcome::interrupted;
      return result;
    }
    const int64_t epoch = ++result.epochs_done;
    const auto errors = validation_errors(config, epoch);
    const double best = std::min(result.best_score, normalized_error(errors));
    data::write_file_atomically(checkpoint, nlohmann::json{{"epoch", epoch}, {"best_score", best}}.dump() + "\n");
    append_event(run_dir, "epoch " + std::to_string(epoch) + " " + pid);
    if (!report(epoch)) {
      result.outcome = TrialResult::Outcome::pruned;
      return result;
    }
  }
  result.outcome = TrialResult::Outcome::complete;
  result.test = test_errors(config, epochs);
  return result;
}

}  // namespace e3::search
