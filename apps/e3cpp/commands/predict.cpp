// e3cpp predict: a trained run's targets for the molecules of xyz files.

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

#include "args.h"
#include "commands.h"
#include "e3/data/dataset.h"
#include "e3/data/read.h"
#include "e3/train/trained_run.h"
#include "threads_option.h"

namespace e3::cli {

int run_predict(const Arguments& args) {
  ArgParser parser("e3cpp predict",
                   "Predicts the targets of a run (its best model) for every molecule of each FILE: original QM9\n"
                   "files, extended XYZ (plain or .gz), plain XYZ without properties, directories or archives.\n"
                   "Prints one column per target.");
  parser.positional("RUN", "a run directory made by e3cpp train")
      .positional("FILE", "molecules to predict", /*required=*/true, /*variadic=*/true)
      .option("checkpoint", "WHICH", "best (the best validation) or last (the last state saved)", std::string("best"))
      .flag("json",
            "print one JSON object: one target: target, unit, predictions [{file, molecule, value}]; several:\n"
            "targets [names], units {name: unit}, predictions [{file, molecule, values {name: value}}]");
  add_threads_option(parser);
  const auto parsed = parser.parse(args);
  train::RunCheckpoint checkpoint;
  try {
    checkpoint = train::run_checkpoint_from_string(parsed.value("checkpoint"));
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }
  apply_threads_option(parsed);
  auto run = train::TrainedRun::open(parsed.positional("RUN")[0], checkpoint);
  const auto& targets = run.targets();
  const bool json = parsed.flag("json"), single = targets.size() == 1;

  nlohmann::json predictions = nlohmann::json::array();
  if (!json) {
    std::cout << "file\tmolecule";
    for (auto target : targets) std::cout << '\t' << data::target_name(target) << " [" << data::thesis_unit(target) << ']';
    // Fixed decimals: total energies of ~1e4 eV still show meV and below.
    std::cout << '\n' << std::fixed << std::setprecision(6);
  }
  for (const auto& file : parsed.positional("FILE")) {
    const data::Dataset dataset(data::read_molecules(file));
    const auto values = run.predict(dataset, dataset.all_indices());
    for (size_t i = 0; i < dataset.size(); ++i) {
      if (json) {
        nlohmann::json entry = {{"file", file}, {"molecule", dataset[i].id}};
        if (single) {
          entry["value"] = values[0][i];
        } else {
          entry["values"] = nlohmann::json::object();
          for (size_t t = 0; t < targets.size(); ++t) entry["values"][data::target_name(targets[t])] = values[t][i];
        }
        predictions.push_back(entry);
      } else {
        std::cout << file << '\t' << dataset[i].id;
        for (size_t t = 0; t < targets.size(); ++t) std::cout << '\t' << values[t][i];
        std::cout << '\n';
      }
    }
  }
  if (json) {
    nlohmann::json out;
    if (single) {
      out = {{"target", data::target_name(targets[0])}, {"unit", data::thesis_unit(targets[0])}};
    } else {
      out["targets"] = nlohmann::json::array();
      out["units"] = nlohmann::json::object();
      for (auto target : targets) {
        out["targets"].push_back(data::target_name(target));
        out["units"][data::target_name(target)] = data::thesis_unit(target);
      }
    }
    out["predictions"] = predictions;
    std::cout << out.dump() << '\n';
  }
  std::cout << std::flush;
  return 0;
}

}  // namespace e3::cli
