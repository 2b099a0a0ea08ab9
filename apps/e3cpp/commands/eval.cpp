// e3cpp eval: the error of a trained run on a split of its data, or on other molecules.

#include <nlohmann/json.hpp>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "args.h"
#include "commands.h"
#include "e3/data/atomic_file.h"
#include "e3/data/dataset.h"
#include "e3/train/prediction.h"
#include "e3/train/trained_run.h"
#include "threads_option.h"
#include "read_options.h"

namespace e3::cli {

int run_eval(const Arguments& args) {
  ArgParser parser("e3cpp eval",
                   "Evaluates a run: MAE and RMSE of each of its targets, in the thesis' units (Table 2.1), on a part\n"
                   "of the run's split, or on every molecule of DATA (--split all, for data the run never saw).\n"
                   "A molecule without a target counts for the other targets only.");
  parser.positional("RUN", "a run directory made by e3cpp train")
      .option("data", "DATA", "the molecules (default: the run's data)")
      .option("split", "PART", "test, val, train or all", std::string("test"))
      .option("checkpoint", "WHICH", "best (the best validation) or last (the last state saved)", std::string("best"))
      .option("predictions", "FILE", "also write id, then target,prediction of each target, per molecule, as CSV")
      .flag("json",
            "print one JSON object: one target: target, unit, split, molecules, mae, rmse; several: split,\n"
            "molecules, targets {name: {unit, molecules, mae, rmse}}");
  add_threads_option(parser);
  add_read_options(parser);
  const auto parsed = parser.parse(args);
  const std::string part = parsed.value("split");
  if (part != "test" && part != "val" && part != "train" && part != "all") {
    throw UsageError("--split must be test, val, train or all, not '" + part + "'");
  }
  train::RunCheckpoint checkpoint;
  try {
    checkpoint = train::run_checkpoint_from_string(parsed.value("checkpoint"));
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }
  apply_threads_option(parsed);

  auto run = train::TrainedRun::open(parsed.positional("RUN")[0], checkpoint);
  const std::string data_path = parsed.given("data") ? parsed.value("data") : run.config().string("data");
  const auto dataset = data::Dataset::read(data_path, read_options(parsed, run.config().read_options()));
  std::vector<size_t> indices;
  if (part == "all") {
    indices = dataset.all_indices();
  } else {
    const auto split = run.split(dataset);
    indices = part == "test" ? split.test : part == "val" ? split.val : split.train;
  }
  if (indices.empty()) throw std::runtime_error("the " + part + " split of " + data_path + " has no molecules");
  const auto& targets = run.targets();
  const auto predictions = run.predict(dataset, indices);
  const auto errors = train::target_errors(predictions, dataset, indices, targets);
  if (targets.size() == 1 && errors[0].count == 0) {
    throw std::runtime_error(data_path + ": no molecule of the " + part + " split has the target " +
                             data::target_name(targets[0]));
  }

  if (parsed.given("predictions")) {
    std::ostringstream csv;
    csv << "id";
    for (auto target : targets) csv << ',' << data::target_name(target) << ',' << data::target_name(target) << "_prediction";
    csv << '\n' << std::setprecision(17);
    for (size_t i = 0; i < indices.size(); ++i) {
      const auto& molecule = dataset[indices[i]];
      csv << molecule.id;
      for (size_t t = 0; t < targets.size(); ++t) {
        csv << ',';
        if (molecule.has(targets[t])) csv << molecule.target(targets[t]);
        csv << ',' << predictions[t][i];
      }
      csv << '\n';
    }
    data::write_file_atomically(parsed.value("predictions"), csv.str());
  }
  // JSON has no NaN: a target that no molecule has gets null.
  auto number = [](double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr); };
  const int64_t molecules = static_cast<int64_t>(indices.size());
  if (parsed.flag("json")) {
    nlohmann::json json;
    if (targets.size() == 1) {
      json = {{"target", data::target_name(targets[0])}, {"unit", data::thesis_unit(targets[0])}, {"split", part},
              {"molecules", errors[0].count},            {"mae", errors[0].mae},                    {"rmse", errors[0].rmse}};
    } else {
      nlohmann::json per_target = nlohmann::json::object();
      for (size_t t = 0; t < targets.size(); ++t) {
        per_target[data::target_name(targets[t])] = {{"unit", data::thesis_unit(targets[t])},
                                                     {"molecules", errors[t].count},
                                                     {"mae", number(errors[t].mae)},
                                                     {"rmse", number(errors[t].rmse)}};
      }
      json = {{"split", part}, {"molecules", molecules}, {"targets", per_target}};
    }
    std::cout << json.dump() << std::endl;
    return 0;
  }
  const std::string where = std::string(" on the ") + part + (part == "all" ? " molecules" : " split") + " of " + data_path;
  if (targets.size() > 1) std::cout << molecules << " molecules" << where << ":\n";
  for (size_t t = 0; t < targets.size(); ++t) {
    const std::string unit = data::thesis_unit(targets[t]);
    std::cout << (targets.size() > 1 ? "  " : "") << data::target_name(targets[t]);
    if (targets.size() == 1) std::cout << where;
    if (errors[t].count == 0) {
      std::cout << ": no molecule has it\n";
      continue;
    }
    std::cout << ": " << errors[t].count << " molecules, MAE " << errors[t].mae << ' ' << unit << ", RMSE "
              << errors[t].rmse << ' ' << unit << '\n';
  }
  std::cout << std::flush;
  return 0;
}

}  // namespace e3::cli
