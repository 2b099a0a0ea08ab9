// e3cpp eval: the error of a trained run on a split of its data, or on other molecules.

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <sstream>

#include "args.h"
#include "commands.h"
#include "e3/data/atomic_file.h"
#include "e3/data/dataset.h"
#include "e3/train/metrics.h"
#include "e3/train/trained_run.h"
#include "threads_option.h"

namespace e3::cli {

int run_eval(const Arguments& args) {
  ArgParser parser("e3cpp eval",
                   "Evaluates the best model of a run: MAE and RMSE of its target, in the thesis' units (Table 2.1),\n"
                   "on a part of the run's split, or on every molecule of DATA (--split all, for data the run never saw).");
  parser.positional("RUN", "a run directory made by e3cpp train")
      .option("data", "DATA", "the molecules (default: the run's data)")
      .option("split", "PART", "test, val, train or all", std::string("test"))
      .option("predictions", "FILE", "also write id,target,prediction of every molecule as CSV")
      .flag("json", "print one JSON object: target, unit, split, molecules, mae, rmse");
  add_threads_option(parser);
  const auto parsed = parser.parse(args);
  const std::string part = parsed.value("split");
  if (part != "test" && part != "val" && part != "train" && part != "all") {
    throw UsageError("--split must be test, val, train or all, not '" + part + "'");
  }
  apply_threads_option(parsed);

  auto run = train::TrainedRun::open(parsed.positional("RUN")[0]);
  const std::string data_path = parsed.given("data") ? parsed.value("data") : run.config().string("data");
  const auto dataset = data::Dataset::read(data_path);
  std::vector<size_t> indices;
  if (part == "all") {
    indices = dataset.all_indices();
  } else {
    const auto split = run.split(dataset);
    indices = part == "test" ? split.test : part == "val" ? split.val : split.train;
  }
  if (indices.empty()) throw std::runtime_error("the " + part + " split of " + data_path + " has no molecules");
  const auto target = run.target();
  dataset.require(target, indices);

  const auto predictions = run.predict(dataset, indices);
  std::vector<double> targets;
  for (size_t index : indices) targets.push_back(dataset[index].target(target));
  const auto metrics = train::error_metrics(predictions, targets);
  const std::string unit = data::thesis_unit(target);

  if (parsed.given("predictions")) {
    std::ostringstream csv;
    csv << "id," << data::target_name(target) << ",prediction\n" << std::setprecision(17);
    for (size_t i = 0; i < indices.size(); ++i) {
      csv << dataset[indices[i]].id << ',' << targets[i] << ',' << predictions[i] << '\n';
    }
    data::write_file_atomically(parsed.value("predictions"), csv.str());
  }
  if (parsed.flag("json")) {
    std::cout << nlohmann::json{{"target", data::target_name(target)}, {"unit", unit},     {"split", part},
                                {"molecules", metrics.count},          {"mae", metrics.mae}, {"rmse", metrics.rmse}}
                     .dump()
              << std::endl;
    return 0;
  }
  std::cout << data::target_name(target) << " on the " << part << (part == "all" ? " molecules" : " split") << " of "
            << data_path << ": " << metrics.count << " molecules, MAE " << metrics.mae << ' ' << unit << ", RMSE "
            << metrics.rmse << ' ' << unit << std::endl;
  return 0;
}

}  // namespace e3::cli
