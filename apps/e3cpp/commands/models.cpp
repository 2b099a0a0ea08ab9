// e3cpp models: the trained models that come with e3cpp, their targets and test errors.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <vector>

#include "args.h"
#include "commands.h"
#include "e3/data/targets.h"
#include "e3/train/config.h"
#include "e3/train/model_builder.h"
#include "shipped_models.h"

namespace e3::cli {
namespace {

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path.string() + ": cannot open the file");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(path.string() + ": not JSON: " + error.what());
  }
}

// The test errors of test.json (e3cpp eval --json, for one target or several) as [{target, unit,
// molecules, mae, rmse}], in the order of the run's `targets`.
nlohmann::json test_errors(const nlohmann::json& eval, const std::vector<data::Target>& targets,
                           const std::string& file) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto which : targets) {
    const std::string target = data::target_name(which);
    const nlohmann::json& errors = eval.contains("targets") ? eval["targets"].value(target, nlohmann::json()) : eval;
    if (!errors.is_object() || (!eval.contains("targets") && eval.value("target", "") != target)) {
      throw std::runtime_error(file + ": no test errors of " + target);
    }
    list.push_back({{"target", target},
                    {"unit", errors.at("unit")},
                    {"molecules", errors.at("molecules")},
                    {"mae", errors.at("mae")},
                    {"rmse", errors.at("rmse")}});
  }
  return list;
}

}  // namespace

int run_models(const Arguments& args) {
  ArgParser parser("e3cpp models",
                   "Lists the trained models that come with e3cpp (models/ in the repository, or $E3CPP_MODELS):\n"
                   "name, network, targets and the test MAE of each target on the test split of the data it was\n"
                   "trained on (test.json). `e3cpp predict --model NAME FILE...` predicts with one; its README.md\n"
                   "(the model card) says how it was made and what it must not be used for.");
  parser.flag("json", "print a JSON array: [{name, path, model, representation, targets [{target, unit, molecules,\n"
                      "mae, rmse}]}]");
  const auto parsed = parser.parse(args);
  const auto names = shipped_model_names();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& name : names) {
    const auto path = std::filesystem::path(shipped_models_directory()) / name;  // a name the listing gave
    const auto config = train::TrainConfig::from_file((path / "config.json").string());
    list.push_back({{"name", name},
                    {"path", path.string()},
                    {"model", config.string("model")},
                    {"representation", config.string("representation")},
                    {"targets", test_errors(read_json(path / "test.json"), train::config_targets(config),
                                            (path / "test.json").string())}});
  }
  if (parsed.flag("json")) {
    std::cout << list.dump() << '\n';
    return 0;
  }
  if (list.empty()) {
    std::cout << "no shipped models in " << shipped_models_directory() << '\n';
    return 0;
  }
  std::cout << "name\tnetwork\ttarget\ttest molecules\ttest MAE\n";
  for (const auto& model : list) {
    for (const auto& errors : model["targets"]) {
      std::ostringstream mae;
      mae << std::setprecision(3) << errors["mae"].get<double>() << ' ' << errors["unit"].get<std::string>();
      std::cout << model["name"].get<std::string>() << '\t' << model["model"].get<std::string>() << ' '
                << model["representation"].get<std::string>() << '\t' << errors["target"].get<std::string>() << '\t'
                << errors["molecules"] << '\t' << mae.str() << '\n';
    }
  }
  std::cout << "(" << shipped_models_directory() << "; predict with e3cpp predict --model NAME FILE...)\n";
  return 0;
}

}  // namespace e3::cli
