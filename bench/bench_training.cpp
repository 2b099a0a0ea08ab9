// Training and inference throughput of the L·Net presets on QM9 batches.
//
// For each preset (default: configs/l0net.json, l1net.json, l2net.json): batches of the
// preset's size (16) from a seeded shuffle of the data; the median of --steps training steps
// (batch building, forward, backward, Adam) and of --steps inference passes (forward without
// gradients) as molecules per second; the peak tensor memory of one training step (exact,
// from a tracking allocator); and the achieved GFLOP/s of the analytic FLOP count of the
// convolutions and radial MLPs, next to the GEMM peak measured in the same run.
//
// --set KEY=VALUE (repeatable) overrides a key of every preset, e.g. --set max_radius=4 for
// the cost-against-cutoff sweep (bench/cutoff_sweep.sh).
//
//   bench_training [--data PATH] [--steps 10] [--threads 2] [--preset configs/l1net.json]...
//                  [--set KEY=VALUE]...

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "e3/data/batch.h"
#include "e3/data/dataset.h"
#include "e3/data/sampler.h"
#include "e3/data/statistics.h"
#include "e3/train/config.h"
#include "e3/train/model_builder.h"
#include "flop_count.h"
#include "gemm_peak.h"
#include "memory_tracker.h"
#include "bench_arguments.h"
#include "timing.h"

namespace {

using e3::bench::Clock;
using e3::bench::median;
using e3::bench::seconds_since;

struct Options {
  std::string data = std::string(E3_SOURCE_DIR) + "/data/qm9-sample/qm9-sample.extxyz.gz";
  std::vector<std::string> presets;
  std::vector<std::pair<std::string, std::string>> overrides;  // --set KEY=VALUE
  int steps = 10;
  int threads = 0;
};

Options parse(int argc, char** argv) {
  Options options;
  e3::bench::BenchArguments("bench_training")
      .value("data", options.data)
      .each("preset", [&](const std::string& preset) { options.presets.push_back(preset); })
      .each("set", [&](const std::string& text) { options.overrides.push_back(e3::bench::BenchArguments::assignment(text)); })
      .value("steps", options.steps)
      .value("threads", options.threads)
      .parse(argc, argv);
  if (options.presets.empty()) {
    for (const char* name : {"l0net", "l1net", "l2net"}) {
      options.presets.push_back(std::string(E3_SOURCE_DIR) + "/configs/" + name + ".json");
    }
  }
  return options;
}

// The analytic FLOPs of the model's convolutions and radial MLPs on one batch.
e3::bench::Flops model_flops(e3::models::MoleculeNet& model, const e3::data::Batch& batch) {
  e3::bench::Flops total;
  const double n = double(batch.num_atoms()), e = double(batch.num_edges());
  const auto& kernel = model->options.kernel();
  for (const auto& module : model->modules()) {
    const auto layer = std::dynamic_pointer_cast<e3::nn::KernelConvImpl>(module);
    if (!layer) continue;
    const auto conv = e3::bench::fused_kernel_conv_flops(layer->plan(), n, e, double(kernel.radial_hidden()));
    const auto radial = e3::bench::radial_mlp_flops(e, double(kernel.num_bases()), double(kernel.radial_hidden()),
                                                    kernel.radial_layers());
    total.forward += conv.forward + radial.forward;
    total.backward += conv.backward + radial.backward;
  }
  return total;
}

int run(const Options& options) {
  auto& tracker = e3::bench::MemoryTracker::install();
  if (options.threads > 0) torch::set_num_threads(options.threads);
  const auto dataset = e3::data::Dataset::read(options.data);
  const double peak = e3::bench::gemm_peak_gflops(torch::kFloat);
  // bfloat16's peak beside it: what a bf16-mixed GEMM path could reach on this CPU (AVX512_BF16
  // or AMX through LibTorch's oneDNN; without them bfloat16 runs far below float32).
  const double bf16_peak = e3::bench::gemm_peak_gflops(torch::kBFloat16);
  std::printf("data: %s (%zu molecules); float32; %d threads; GEMM peak (mm 1024^3): float32 %.1f, bfloat16 %.1f "
              "GFLOP/s\n\n",
              options.data.c_str(), dataset.size(), torch::get_num_threads(), peak, bf16_peak);
  std::printf("%-14s %9s %9s %11s %11s %12s %10s %10s %8s\n", "preset", "atoms", "edges", "train mol/s",
              "infer mol/s", "us/edge/step", "peak MiB", "GFLOP/s", "of peak");

  for (const auto& path : options.presets) {
    auto config = e3::train::TrainConfig::from_file(path);
    config.set("targets", "mu", "bench");
    config.set("data", options.data, "bench");
    for (const auto& [key, value] : options.overrides) config.set_from_text(key, value, "--set");
    config.validate();
    const auto batch_size = static_cast<size_t>(config.integer("batch_size"));
    const e3::data::BatchSampler sampler(dataset.all_indices(), batch_size, /*shuffle=*/true, 0);
    const auto batches = sampler.epoch(0);
    if (batches.size() < static_cast<size_t>(options.steps) + 2) {
      std::fprintf(stderr, "bench_training: the data has too few molecules for %d steps\n", options.steps);
      return 1;
    }

    torch::manual_seed(0);
    const double cutoff = e3::train::config_cutoff(config);
    const double neighbors = e3::data::mean_neighbor_count(dataset, batches.front(), cutoff);
    e3::models::MoleculeNet model(e3::train::model_options(config, neighbors));
    model->to(torch::kFloat);
    const auto first = e3::data::collate(dataset, batches.front(), cutoff, torch::kFloat);
    model->calibrate(e3::train::point_clouds(first), first.atomic_numbers);
    torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(config.number("learning_rate")));

    auto train_step = [&](const std::vector<size_t>& indices) {
      const auto batch = e3::data::collate(dataset, indices, cutoff, torch::kFloat);
      adam.zero_grad();
      const auto prediction = model->forward(e3::train::point_clouds(batch), batch.atomic_numbers);
      (prediction.select(1, 0) - batch.targets.select(1, 0)).pow(2).mean().backward();
      adam.step();
      return batch;
    };
    train_step(batches[0]);  // warm-up
    const int64_t before = tracker.current();
    tracker.reset_peak();
    train_step(batches[1]);
    const int64_t peak_bytes = tracker.peak() - before;

    std::vector<double> train_rates, infer_rates, edge_costs;
    double atoms = 0, edges = 0, flop_rate = 0;
    for (int s = 0; s < options.steps; ++s) {
      const auto& indices = batches[static_cast<size_t>(s + 2)];
      auto start = Clock::now();
      const auto batch = train_step(indices);
      const double train_seconds = seconds_since(start);
      train_rates.push_back(double(indices.size()) / train_seconds);
      edge_costs.push_back(train_seconds * 1e6 / double(batch.num_edges()));
      const auto flops = model_flops(model, batch);
      flop_rate += (flops.forward + flops.backward) / train_seconds / 1e9 / options.steps;
      atoms += double(batch.num_atoms()) / options.steps;
      edges += double(batch.num_edges()) / options.steps;

      torch::NoGradGuard no_grad;
      start = Clock::now();
      const auto inference = e3::data::collate(dataset, indices, cutoff, torch::kFloat);
      model->forward(e3::train::point_clouds(inference), inference.atomic_numbers);
      infer_rates.push_back(double(indices.size()) / seconds_since(start));
    }
    std::string name = path.substr(path.find_last_of('/') + 1);
    std::printf("%-14s %9.0f %9.0f %11.1f %11.1f %12.2f %10.1f %10.1f %7.0f%%\n", name.c_str(), atoms, edges,
                median(train_rates), median(infer_rates), median(edge_costs), double(peak_bytes) / (1 << 20), flop_rate,
                100.0 * flop_rate / peak);
  }
  std::printf("\n(atoms, edges: per batch, mean; us/edge/step: training step time per edge, median; GFLOP/s: "
              "convolutions and radial MLPs of a training step)\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  try {
    return run(options);
  } catch (const std::exception& error) {  // a bad preset or --set: one line, not an abort
    std::fprintf(stderr, "bench_training: %s\n", error.what());
    return 2;
  }
}
