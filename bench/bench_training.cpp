// Training and inference throughput of the L·Net presets on QM9 batches.
//
// For each preset (default: configs/l0net.json, l1net.json, l2net.json), on the target mu:
// e3::perf::measure_throughput() (include/e3/perf/throughput.h, which `e3cpp bench` runs too):
// the median of --steps training steps (batch building, forward, normalized loss, backward,
// optimizer) and of --steps inference passes as molecules per second, the achieved GFLOP/s of
// the analytic FLOP count of the convolutions and radial MLPs next to the GEMM peak measured
// in the same run; and the peak tensor memory of those steps (exact, from a tracking allocator).
//
// --set KEY=VALUE (repeatable) overrides a key of every preset, e.g. --set max_radius=4 for
// the cost-against-cutoff sweep (bench/cutoff_sweep.sh).
//
//   bench_training [--data PATH] [--steps 10] [--threads 2] [--preset configs/l1net.json]...
//                  [--set KEY=VALUE]...

#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "args.h"
#include "e3/data/dataset.h"
#include "e3/perf/gemm_peak.h"
#include "e3/perf/machine.h"
#include "e3/perf/throughput.h"
#include "e3/train/config.h"
#include "e3/train/reuse_freed_memory.h"
#include "memory_tracker.h"

namespace {

struct Options {
  std::string data = std::string(E3_SOURCE_DIR) + "/data/qm9-sample/qm9-sample.extxyz.gz";
  std::vector<std::string> presets;
  std::vector<std::pair<std::string, std::string>> overrides;  // --set KEY=VALUE
  int steps = 10;
  int threads = 0;
};

Options parse(int argc, char** argv) {
  Options options;
  e3::cli::ArgParser parser("bench_training", "Training and inference throughput of the L-Net presets.");
  parser.option("data", "FILE", "molecules of the batches", options.data)
      .option("preset", "CONFIG", "a preset to measure (repeatable; default: L0Net, L1Net and L2Net)")
      .option("set", "KEY=VALUE", "change a key of every preset (repeatable)")
      .option("steps", "N", "training steps measured per preset", std::to_string(options.steps))
      .option("threads", "N", "threads (0: LibTorch's default)", std::to_string(options.threads));
  e3::cli::parse_program_arguments(parser, argc, argv, [&](const e3::cli::ParsedArgs& args) {
    options.data = args.value("data");
    options.presets = args.values("preset");
    for (const auto& text : args.values("set")) options.overrides.push_back(e3::cli::key_value("set", text));
    options.steps = static_cast<int>(args.integer("steps"));
    options.threads = static_cast<int>(args.integer("threads"));
  });
  if (options.presets.empty()) {
    for (const char* name : {"l0net", "l1net", "l2net"}) {
      options.presets.push_back(std::string(E3_SOURCE_DIR) + "/configs/" + name + ".json");
    }
  }
  return options;
}

int run(const Options& options) {
  auto& tracker = e3::bench::MemoryTracker::install();
  if (options.threads > 0) torch::set_num_threads(options.threads);
  const auto dataset = e3::data::Dataset::read(options.data);
  // bfloat16's peak beside float32's: what a bf16-mixed GEMM path could reach on this CPU
  // (AVX512_BF16 or AMX through LibTorch's oneDNN; without them bfloat16 runs far below float32).
  const auto peak = e3::perf::measure_gemm_peak(e3::perf::GemmPeakOptions().bfloat16(true));
  std::printf("data: %s (%zu molecules); %d threads; CPU: %s; GEMM peak (1024^3, GFLOP/s): float32 %.1f (LibTorch %.1f "
              "on OpenBLAS %s, oneDNN %.1f), bfloat16 %.1f\n\n",
              options.data.c_str(), dataset.size(), torch::get_num_threads(), e3::perf::cpu_model().c_str(),
              peak.float32(), peak.libtorch_float32, e3::perf::blas_core_name().c_str(), peak.onednn_float32,
              peak.bfloat16);
  std::printf("%-14s %9s %9s %11s %11s %12s %10s %10s %8s\n", "preset", "atoms", "edges", "train mol/s",
              "infer mol/s", "us/edge/step", "peak MiB", "GFLOP/s", "of peak");

  for (const auto& path : options.presets) {
    auto config = e3::train::TrainConfig::from_file(path);
    config.set("targets", "mu", "bench");
    config.set("data", options.data, "bench");
    for (const auto& [key, value] : options.overrides) config.set_from_text(key, value, "--set");
    config.validate();
    const int64_t before = tracker.current();
    tracker.reset_peak();
    const auto result = e3::perf::measure_throughput(
        config, dataset, e3::perf::ThroughputOptions().steps(options.steps).reference_steps(0));
    const double peak_mib = double(tracker.peak() - before) / (1 << 20);
    const double step_seconds = double(config.integer("batch_size")) / result.train_molecules_per_s;
    std::string name = path.substr(path.find_last_of('/') + 1);
    std::printf("%-14s %9.0f %9.0f %11.1f %11.1f %12.2f %10.1f %10.1f %7.0f%%\n", name.c_str(), result.atoms_per_batch,
                result.edges_per_batch, result.train_molecules_per_s, result.infer_molecules_per_s,
                step_seconds * 1e6 / result.edges_per_batch, peak_mib, result.train_gflops,
                100.0 * result.train_gflops / peak.float32());
  }
  std::printf("\n(atoms, edges: per batch, mean; us/edge/step: training step time per edge; peak MiB: tensor memory "
              "of the training steps and inference passes; GFLOP/s: convolutions and radial MLPs of a training step, "
              "of the float32 peak)\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  e3::train::reuse_freed_memory();
  const Options options = parse(argc, argv);
  try {
    return run(options);
  } catch (const std::exception& error) {  // a bad preset or --set: one line, not an abort
    std::fprintf(stderr, "bench_training: %s\n", error.what());
    return 2;
  }
}
