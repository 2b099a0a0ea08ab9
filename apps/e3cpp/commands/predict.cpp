// e3cpp predict: a trained run's target for the molecules of xyz files.

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
                   "Predicts the target of a run (its best model) for every molecule of each FILE: original QM9\n"
                   "files, extended XYZ (plain or .gz), plain XYZ without properties, directories or archives.");
  parser.positional("RUN", "a run directory made by e3cpp train")
      .positional("FILE", "molecules to predict", /*required=*/true, /*variadic=*/true)
      .flag("json", "print one JSON object: target, unit, predictions [{file, molecule, value}]");
  add_threads_option(parser);
  const auto parsed = parser.parse(args);
  apply_threads_option(parsed);
  auto run = train::TrainedRun::open(parsed.positional("RUN")[0]);
  const auto target = run.target();
  const std::string name = data::target_name(target), unit = data::thesis_unit(target);

  nlohmann::json predictions = nlohmann::json::array();
  // Fixed decimals: total energies of ~1e4 eV still show meV and below.
  if (!parsed.flag("json")) std::cout << "file\tmolecule\t" << name << " [" << unit << "]\n" << std::fixed << std::setprecision(6);
  for (const auto& file : parsed.positional("FILE")) {
    const data::Dataset dataset(data::read_molecules(file));
    const auto values = run.predict(dataset, dataset.all_indices());
    for (size_t i = 0; i < values.size(); ++i) {
      if (parsed.flag("json")) {
        predictions.push_back({{"file", file}, {"molecule", dataset[i].id}, {"value", values[i]}});
      } else {
        std::cout << file << '\t' << dataset[i].id << '\t' << values[i] << '\n';
      }
    }
  }
  if (parsed.flag("json")) {
    std::cout << nlohmann::json{{"target", name}, {"unit", unit}, {"predictions", predictions}}.dump() << '\n';
  }
  std::cout << std::flush;
  return 0;
}

}  // namespace e3::cli
