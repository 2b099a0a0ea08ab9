// e3cpp eval: the error of a trained run on a split of its data, or on other molecules.

#include <nlohmann/json.hpp>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "args.h"
#include "commands.h"
#include "e3/data/atomic_file.h"
#include "e3/data/dataset.h"
#include "e3/train/calibration.h"
#include "e3/train/prediction.h"
#include "e3/train/model_builder.h"
#include "e3/train/trained_run.h"
#include "precision_option.h"
#include "read_options.h"
#include "threads_option.h"

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
      .option("predictions", "FILE", "also write id, then target,prediction (and an ensemble's std) of each target, per molecule,\n"
              "as CSV")
      .flag("mean-predictor",
            "also the MAE of the mean predictor, which predicts each target's mean over the run's training\n"
            "split for every molecule: the error a model must beat")
      .flag("calibration",
            "an ensemble's: how well its members' standard deviation (std) tells its errors, per target: the\n"
            "Spearman correlation of std and |error|, and the fractions of molecules with |error| within 1 and\n"
            "2 std (0.683 and 0.954 for normal errors of that std)")
      .flag("subset",
            "DATA holds part of the run's data (the embedded sample of a model trained on all of QM9): evaluate\n"
            "the molecules of the split that DATA has (without it, one that DATA lacks is an error)")
      .flag("json",
            "print one JSON object: one target: target, unit, split, molecules, mae, rmse; several: split,\n"
            "molecules, targets {name: {unit, molecules, mae, rmse}}; --mean-predictor adds mean_predictor_mae,\n"
            "--calibration calibration {molecules, spearman, within_1_std, within_2_std, mean_std}");
  add_threads_option(parser);
  add_precision_option(parser);
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

  auto run = train::TrainedRun::open(parsed.positional("RUN")[0], checkpoint, precision_option(parsed));
  if (const auto notice = train::precision_notice(run.config()); !notice.empty()) std::cerr << "note: " << notice << "\n";
  const std::string data_path = parsed.given("data") ? parsed.value("data") : run.config().string("data");
  const auto dataset = data::Dataset::read(data_path, read_options(parsed, run.config().read_options()));
  std::vector<size_t> indices;
  if (part == "all") {
    indices = dataset.all_indices();
  } else {
    const auto split = run.split(dataset, parsed.flag("subset") ? data::AbsentIds::skip : data::AbsentIds::error);
    indices = part == "test" ? split.test : part == "val" ? split.val : split.train;
  }
  if (indices.empty()) throw std::runtime_error("the " + part + " split of " + data_path + " has no molecules");
  const auto& targets = run.targets();
  if (parsed.flag("calibration") && run.members() < 2) {
    throw UsageError("--calibration needs an ensemble (e3cpp train --ensemble K): " + parsed.positional("RUN")[0] +
                     " is one model");
  }
  const auto predicted = run.predict_with_dipoles(dataset, indices);
  const auto& predictions = predicted.values;
  const auto errors = train::target_errors(predictions, dataset, indices, targets);
  if (targets.size() == 1 && errors[0].count == 0) {
    throw std::runtime_error(data_path + ": no molecule of the " + part + " split has the target " +
                             data::target_name(targets[0]));
  }

  // The calibration of the ensemble's standard deviation, per target (--calibration), on the
  // molecules that have the target.
  std::vector<std::optional<train::Calibration>> calibrations(targets.size());
  if (parsed.flag("calibration")) {
    for (size_t t = 0; t < targets.size(); ++t) {
      std::vector<double> values, spread, known;
      for (size_t i = 0; i < indices.size(); ++i) {
        const auto& molecule = dataset[indices[i]];
        if (!molecule.has(targets[t])) continue;
        values.push_back(predictions[t][i]);
        spread.push_back(predicted.spread[t][i]);
        known.push_back(molecule.target(targets[t]));
      }
      if (values.size() >= 2) calibrations[t] = train::calibration(values, spread, known);
    }
  }
  // As JSON: {molecules, spearman, within_1_std, within_2_std, mean_std}.
  const auto calibration_json = [](const train::Calibration& c) {
    const auto number = [](double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr); };
    return nlohmann::json{{"molecules", c.count},
                          {"spearman", number(c.spearman)},
                          {"within_1_std", c.within_one_std},
                          {"within_2_std", c.within_two_std},
                          {"mean_std", c.mean_std}};
  };

  // The mean predictor's errors, per target (--mean-predictor).
  std::vector<train::ErrorMetrics> baseline;
  if (parsed.flag("mean-predictor")) {
    const auto train_split = run.split(dataset, data::AbsentIds::skip).train;
    std::vector<std::vector<double>> means;
    for (auto target : targets) {
      double sum = 0;
      int64_t count = 0;
      for (size_t index : train_split) {
        if (dataset[index].has(target)) sum += dataset[index].target(target), ++count;
      }
      if (count == 0) {
        throw std::runtime_error("--mean-predictor: no molecule of " + data_path + " in the run's training split has " +
                                 data::target_name(target));
      }
      means.emplace_back(indices.size(), sum / static_cast<double>(count));
    }
    baseline = train::target_errors(means, dataset, indices, targets);
  }

  if (parsed.given("predictions")) {
    std::ostringstream csv;
    // An ensemble's rows also give the members' standard deviation of each prediction.
    const bool spread = run.members() > 1;
    csv << "id";
    for (auto target : targets) {
      const std::string name = data::target_name(target);
      csv << ',' << name << ',' << name << "_prediction";
      if (spread) csv << ',' << name << "_std";
    }
    csv << '\n' << std::setprecision(17);
    for (size_t i = 0; i < indices.size(); ++i) {
      const auto& molecule = dataset[indices[i]];
      csv << molecule.id;
      for (size_t t = 0; t < targets.size(); ++t) {
        csv << ',';
        if (molecule.has(targets[t])) csv << molecule.target(targets[t]);
        csv << ',' << predictions[t][i];
        if (spread) csv << ',' << predicted.spread[t][i];
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
      if (!baseline.empty()) json["mean_predictor_mae"] = baseline[0].mae;
      if (calibrations[0]) json["calibration"] = calibration_json(*calibrations[0]);
    } else {
      nlohmann::json per_target = nlohmann::json::object();
      for (size_t t = 0; t < targets.size(); ++t) {
        per_target[data::target_name(targets[t])] = {{"unit", data::thesis_unit(targets[t])},
                                                     {"molecules", errors[t].count},
                                                     {"mae", number(errors[t].mae)},
                                                     {"rmse", number(errors[t].rmse)}};
        if (!baseline.empty()) per_target[data::target_name(targets[t])]["mean_predictor_mae"] = number(baseline[t].mae);
        if (calibrations[t]) per_target[data::target_name(targets[t])]["calibration"] = calibration_json(*calibrations[t]);
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
              << errors[t].rmse << ' ' << unit;
    if (!baseline.empty()) std::cout << " (mean predictor: MAE " << baseline[t].mae << ' ' << unit << ')';
    std::cout << '\n';
    if (const auto& c = calibrations[t]) {
      std::cout << (targets.size() > 1 ? "    " : "  ") << "calibration: Spearman(std, |error|) " << c->spearman
                << "; |error| within 1 std for " << 100 * c->within_one_std << "%, within 2 std for "
                << 100 * c->within_two_std << "% (normal errors: 68.3%, 95.4%); mean std " << c->mean_std << ' '
                << unit << '\n';
    }
  }
  std::cout << std::flush;
  return 0;
}

}  // namespace e3::cli
