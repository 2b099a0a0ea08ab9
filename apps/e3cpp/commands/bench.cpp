// e3cpp bench: training and inference throughput of a configuration on this machine, with
// the figures that make it comparable across machines (the GEMM peak measured in the same
// run, the CPU) and the reference convolution on the same weights.

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "config_options.h"
#include "e3/data/dataset.h"
#include "e3/nn/gemm_precision.h"
#include "e3/perf/gemm_peak.h"
#include "e3/perf/machine.h"
#include "e3/perf/throughput.h"
#include "e3/train/model_builder.h"
#include "threads_option.h"

namespace e3::cli {
namespace {

constexpr const char* kEmbeddedSample = "data/qm9-sample/qm9-sample.extxyz.gz";

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

// A figure that was not measured is null in JSON.
nlohmann::json measured(double value) { return value > 0.0 ? nlohmann::json(value) : nlohmann::json(); }

// One row of the breakdown: seconds per step, split into forward and backward where the
// stage has both.
struct BreakdownRow {
  std::string part;
  bool split;
  double forward, backward, total;
};

std::vector<BreakdownRow> breakdown_rows(const perf::StepBreakdown& breakdown) {
  std::vector<BreakdownRow> rows{{"building the batch", false, 0, 0, breakdown.batch}};
  for (const auto& [part, times] : breakdown.parts) {
    rows.push_back({part.label, true, times.forward, times.backward, times.forward + times.backward});
  }
  const auto& other = breakdown.other;
  rows.push_back({"other (residual sums, autograd engine)", true, other.forward, other.backward,
                  other.forward + other.backward});
  rows.push_back({"optimizer (zero_grad, step)", false, 0, 0, breakdown.optimizer});
  return rows;
}

nlohmann::json breakdown_json(const perf::StepBreakdown& breakdown) {
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& row : breakdown_rows(breakdown)) {
    parts.push_back({{"part", row.part},
                     {"forward_s", row.split ? nlohmann::json(row.forward) : nlohmann::json()},
                     {"backward_s", row.split ? nlohmann::json(row.backward) : nlohmann::json()},
                     {"total_s", row.total},
                     {"share", row.total / breakdown.step}});
  }
  return {{"profiled_steps", breakdown.steps}, {"step_s", breakdown.step}, {"parts", parts}};
}

void print_breakdown(const perf::StepBreakdown& breakdown, double unprofiled_step) {
  std::cout << "where a training step's time goes (" << breakdown.steps << " profiled steps of "
            << format("%.1f", 1e3 * breakdown.step) << " ms, the profiler included; "
            << format("%.1f", 1e3 * unprofiled_step) << " ms unprofiled):\n"
            << std::string(40, ' ') << "   forward  backward     total  share\n";
  const auto milliseconds = [](double seconds) { return format("%7.2f ms", 1e3 * seconds); };
  for (const auto& row : breakdown_rows(breakdown)) {
    std::cout << row.part << std::string(row.part.size() < 40 ? 40 - row.part.size() : 1, ' ')
              << (row.split ? milliseconds(row.forward) + milliseconds(row.backward) : std::string(20, ' '))
              << milliseconds(row.total) << format("%6.1f%%", 100 * row.total / breakdown.step) << "\n";
  }
}

}  // namespace

int run_bench(const Arguments& args) {
  ArgParser parser("e3cpp bench",
                   "Measures a configuration's training and inference throughput on this machine: molecules/s\n"
                   "(median of --steps batches; a training step builds the batch, runs forward, the loss,\n"
                   "backward and the optimizer, as `e3cpp train` does), the analytic FLOP count per molecule of\n"
                   "its convolutions and radial MLPs and the GFLOP/s achieved, the GEMM peak of this machine\n"
                   "measured in the same run (the ratio is the figure that holds across machines), the training\n"
                   "throughput of the reference convolution ((2.42)+(2.45) written directly) on the same weights,\n"
                   "the peak resident memory, the CPU and the thread count.");
  parser.option("config", "FILE", "a JSON configuration, e.g. configs/l1net.json")
      .option("batch", "N", "molecules per batch (default: the configuration's batch_size)")
      .option("steps", "N", "timed training steps and inference passes, after one untimed step", std::string("10"))
      .option("reference-steps", "N", "training steps of the reference convolution (slow); 0: skip it",
              std::string("1"))
      .flag("breakdown",
            "also where a training step's time goes: --steps more steps, each stage timed (building the batch,\n"
            "forward, backward, the optimizer) and, within forward and backward, each part of the network\n"
            "(radial MLPs, convolutions, gates, ...: LibTorch RecordFunction scopes, observed only in these\n"
            "steps; a part's backward is that of the autograd nodes it created)")
      .flag("json", "print one JSON object instead of text");
  add_threads_option(parser);
  add_config_options(parser);
  parser.epilog(std::string("--config FILE and any configuration key as an option (--precision bf16-mixed, --max-radius 4)\n"
                            "give the model; --data defaults to the configuration's, else ") +
                kEmbeddedSample + "; --targets\nto the configuration's, else mu.");
  const auto parsed = parser.parse(args);
  apply_threads_option(parsed);
  const long long steps = parsed.integer("steps"), reference_steps = parsed.integer("reference-steps");
  if (steps < 1) throw UsageError("--steps must be at least 1");
  if (reference_steps < 0) throw UsageError("--reference-steps must not be negative");
  if (parsed.given("batch") && parsed.integer("batch") < 1) throw UsageError("--batch must be at least 1");

  auto config = config_from_options(parsed);
  if (config.string("data").empty()) config.set("data", std::string(kEmbeddedSample), "e3cpp bench");
  if (config.string("targets").empty()) config.set("targets", std::string("mu"), "e3cpp bench");
  if (parsed.given("batch")) config.set("batch_size", parsed.integer("batch"), "--batch");
  config.validate();
  if (train::config_dtype(config) != torch::kFloat) throw UsageError("e3cpp bench measures float32 (dtype float64 given)");
  const bool json = parsed.flag("json");
  if (const auto notice = train::precision_notice(config); !notice.empty()) std::cerr << "note: " << notice << "\n";

  const auto dataset = data::Dataset::read(config.string("data"), config.read_options());
  const bool breakdown = parsed.flag("breakdown");
  const auto result = perf::measure_throughput(
      config, dataset,
      perf::ThroughputOptions().steps(steps).reference_steps(reference_steps).breakdown_steps(breakdown ? steps : 0));
  const auto peak = perf::measure_gemm_peak(perf::GemmPeakOptions().bfloat16(nn::cpu_has_bf16_gemm()));
  const std::string precision = nn::to_string(train::config_precision(config));
  const int threads = torch::get_num_threads();
  const double rss_mib = double(result.peak_resident_bytes) / (1 << 20);
  const double train_flops = result.flops_per_molecule.total(), infer_flops = result.flops_per_molecule.forward;
  const double train_fraction = result.train_gflops / peak.float32();
  const double infer_fraction = result.infer_gflops / peak.float32();

  if (json) {
    nlohmann::json out = {
        {"config", parsed.given("config") ? parsed.value("config") : ""},
        {"data", config.string("data")},
        {"model", config.string("model")},
        {"targets", config.string("targets")},
        {"batch", config.integer("batch_size")},
        {"steps", steps},
        {"threads", threads},
        {"precision", precision},
        {"cpu_model", perf::cpu_model()},
        {"onednn_isa", perf::onednn_isa()},
        {"blas_core", perf::blas_core_name()},
        {"gemm_peak_gflops",
         {{"float32", peak.float32()},
          {"float32_libtorch", peak.libtorch_float32},
          {"float32_onednn", peak.onednn_float32},
          {"bfloat16", measured(peak.bfloat16)}}},
        {"train_molecules_per_s", result.train_molecules_per_s},
        {"infer_molecules_per_s", result.infer_molecules_per_s},
        {"reference_train_molecules_per_s", measured(result.reference_train_molecules_per_s)},
        {"reference_steps", reference_steps},
        {"flops_per_molecule", {{"train", train_flops}, {"infer", infer_flops}}},
        {"train_gflops", result.train_gflops},
        {"infer_gflops", result.infer_gflops},
        {"train_fraction_of_peak", train_fraction},
        {"infer_fraction_of_peak", infer_fraction},
        {"peak_rss_mib", rss_mib},
        {"atoms_per_batch", result.atoms_per_batch},
        {"edges_per_batch", result.edges_per_batch},
    };
    if (breakdown) out["breakdown"] = breakdown_json(result.breakdown);
    std::cout << out.dump(2) << std::endl;
    return 0;
  }
  std::cout << (parsed.given("config") ? parsed.value("config") : std::string("default configuration")) << " ("
            << config.string("model") << ", " << config.string("targets") << ") on " << config.string("data") << ": "
            << config.integer("batch_size") << " molecules per batch (" << format("%.0f", result.atoms_per_batch)
            << " atoms, " << format("%.0f", result.edges_per_batch) << " edges), " << steps << " steps, " << threads
            << " threads, " << precision << "\n"
            << "CPU: " << perf::cpu_model() << " (oneDNN " << perf::onednn_isa() << ", OpenBLAS "
            << (perf::blas_core_name().empty() ? "absent" : perf::blas_core_name()) << ")\n"
            << "GEMM peak (1024^3): float32 " << format("%.1f", peak.float32()) << " GFLOP/s (LibTorch "
            << format("%.1f", peak.libtorch_float32) << ", oneDNN " << format("%.1f", peak.onednn_float32) << ")";
  if (peak.bfloat16 > 0) std::cout << ", bfloat16 " << format("%.1f", peak.bfloat16) << " GFLOP/s";
  std::cout << "\n"
            << "training:  " << format("%8.1f", result.train_molecules_per_s) << " molecules/s  "
            << format("%6.1f", result.train_gflops) << " GFLOP/s (" << format("%.0f", 100 * train_fraction)
            << "% of the float32 peak), " << format("%.3f", train_flops / 1e9) << " GFLOP per molecule\n"
            << "inference: " << format("%8.1f", result.infer_molecules_per_s) << " molecules/s  "
            << format("%6.1f", result.infer_gflops) << " GFLOP/s (" << format("%.0f", 100 * infer_fraction)
            << "% of the float32 peak), " << format("%.3f", infer_flops / 1e9) << " GFLOP per molecule\n";
  if (result.reference_train_molecules_per_s > 0) {
    std::cout << "reference convolution, training: " << format("%.2f", result.reference_train_molecules_per_s)
              << " molecules/s (" << reference_steps << " step" << (reference_steps == 1 ? "" : "s")
              << ", same weights): the fused one is "
              << format("%.1f", result.train_molecules_per_s / result.reference_train_molecules_per_s) << "x faster\n";
  }
  if (breakdown) print_breakdown(result.breakdown, double(config.integer("batch_size")) / result.train_molecules_per_s);
  std::cout << "peak resident memory: " << format("%.0f", rss_mib) << " MiB (data, model, optimizer, steps)\n"
            << "(FLOPs: the convolutions and radial MLPs; the rate divides them by the whole step's time)\n";
  return 0;
}

}  // namespace e3::cli
