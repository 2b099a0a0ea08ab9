// e3cpp report: Table 3.5 for the user's runs, beside the thesis' numbers.

#include <iostream>
#include <sstream>

#include "args.h"
#include "commands.h"
#include "e3/report/results_table.h"
#include "e3/report/thesis_results.h"
#include "threads_option.h"

namespace e3::cli {

int run_report(const Arguments& args) {
  ArgParser parser("e3cpp report",
                   "Prints the test MAE of each target of each RUN in Table 3.5's units (D, a0^3, meV for the\n"
                   "energies, a0^2, cal/(mol K)): one row per target, one column per run, evaluated on the run's own\n"
                   "test split with its best model, and columns of the thesis' Table 3.5 beside them for reference.");
  parser.positional("RUN", "run directories made by e3cpp train", /*required=*/true, /*variadic=*/true)
      .option("split", "PART", "the split to evaluate: test, val or train", std::string("test"))
      .option("reference", "MODELS",
              "Table 3.5 columns to show: a comma-separated list of L0Net, L1Net, ARandNet, BRandNet, schnetpack,\n"
              "Cormorant, DimeNet; all; or none",
              std::string("L0Net,L1Net,ARandNet"))
      .flag("markdown", "print a Markdown table")
      .flag("csv", "print CSV: target, unit, one column per run and reference")
      .flag("json", "print one JSON object: units, runs [{run, label, data, split, molecules, mae}], thesis")
      .epilog("example: e3cpp report runs/l1net-mu runs/arandnet-all --markdown");
  add_threads_option(parser);
  const auto parsed = parser.parse(args);
  if (int(parsed.flag("markdown")) + int(parsed.flag("csv")) + int(parsed.flag("json")) > 1) {
    throw UsageError("give at most one of --markdown, --csv and --json");
  }
  const std::string split = parsed.value("split");
  if (split != "test" && split != "val" && split != "train") {
    throw UsageError("--split must be test, val or train, not '" + split + "'");
  }
  report::ResultsTable table;
  const std::string references = parsed.value("reference");
  if (references == "all") {
    table.references = report::thesis_models();
  } else if (references != "none") {
    std::istringstream list(references);
    for (std::string model; std::getline(list, model, ',');) {
      if (!report::thesis_mae(model, data::Target::mu)) {
        throw UsageError("--reference: '" + model + "' is not a column of Table 3.5 (see --help)");
      }
      table.references.push_back(model);
    }
  }
  apply_threads_option(parsed);
  for (const auto& run : parsed.positional("RUN")) table.runs.push_back(report::evaluate_run(run, split));

  if (parsed.flag("json")) {
    std::cout << report::to_json(table).dump() << std::endl;
  } else if (parsed.flag("csv")) {
    std::cout << report::to_csv(table) << std::flush;
  } else if (parsed.flag("markdown")) {
    std::cout << report::to_markdown(table) << std::flush;
  } else {
    std::cout << report::to_text(table) << std::flush;
  }
  return 0;
}

}  // namespace e3::cli
