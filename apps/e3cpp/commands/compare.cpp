// e3cpp compare: the validation curves of several runs in one figure (Figures 3.2-3.5).

#include <iostream>

#include "args.h"
#include "commands.h"
#include "e3/data/atomic_file.h"
#include "e3/report/comparison.h"

namespace e3::cli {

int run_compare(const Arguments& args) {
  ArgParser parser("e3cpp compare",
                   "Plots the validation curves of several runs on one logarithmic axis, one colour per run with a\n"
                   "legend, as an SVG file: the thesis' Figures 3.2-3.5 (L0 vs L1 vs L2, radial bases, batch sizes).");
  parser.positional("RUN", "run directories made by e3cpp train", /*required=*/true, /*variadic=*/true)
      .option("out", "FIGURE.svg", "the SVG file to write")
      .option("metric", "METRIC", "val_mae, val_rmse or val_score (the score that selects a run's best model)",
              std::string("val_mae"))
      .option("target", "NAME", "the target of val_mae and val_rmse (needed when the runs have several)")
      .option("x", "AXIS", "the horizontal axis: epoch, step, molecules or minutes", std::string("epoch"))
      .option("title", "TEXT", "the figure's title (default: the metric and the target)")
      .epilog("example: e3cpp compare runs/l0net-mu runs/l1net-mu runs/l2net-mu --out figure-3.3.svg");
  const auto parsed = parser.parse(args);
  if (!parsed.given("out")) throw UsageError("give --out FIGURE.svg");
  report::ComparisonOptions options;
  options.metric = parsed.value("metric");
  options.x = parsed.value("x");
  if (parsed.given("target")) options.target = parsed.value("target");
  if (parsed.given("title")) options.title = parsed.value("title");
  std::vector<report::RunHistory> runs;
  for (const auto& run : parsed.positional("RUN")) runs.push_back(report::read_run_history(run));
  std::string svg;
  try {
    svg = report::comparison_svg(runs, options);
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }
  data::write_file_atomically(parsed.value("out"), svg);
  std::cout << "wrote " << parsed.value("out") << " (" << runs.size() << " runs)" << std::endl;
  return 0;
}

}  // namespace e3::cli
