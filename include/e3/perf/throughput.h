#pragma once
// Training and inference throughput of a configuration's model, the figures of `e3cpp bench`
// and bench/bench_training.
//
// The model is built as a training run builds it (model_builder.h: the configuration's
// network, output layers fitted to the data, calibrated initialization, its optimizer), on
// batches of a seeded shuffle of the data. A training step is what Trainer takes: building the
// batch, forward, the normalized loss (3.2)-(3.3), backward and the optimizer's step; an
// inference pass is building the batch and forward without gradients. Each figure is the
// median over the timed steps, robust to a slow outlier on a shared machine. Where a step's
// time goes (the breakdown) is measured on steps of its own, with a clock around each stage
// and the network's parts timed by a PartProfiler (part_profiler.h).

#include <torch/arg.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "e3/data/dataset.h"
#include "e3/nn/step_parts.h"
#include "e3/perf/flop_count.h"
#include "e3/perf/part_profiler.h"
#include "e3/train/config.h"

namespace e3::perf {

struct ThroughputOptions {
  /// Molecules per batch; 0: the configuration's batch_size.
  TORCH_ARG(int64_t, batch_size) = 0;
  /// Timed training steps and inference passes, each on its own batch (after one untimed step).
  TORCH_ARG(int64_t, steps) = 10;
  /// Training steps of the reference convolution (kernel_conv_reference.h, (2.42)+(2.45) written
  /// directly) on the same weights and batches, timed without a warm-up; 0: not measured.
  TORCH_ARG(int64_t, reference_steps) = 1;
  /// The shuffle of the data the batches come from.
  TORCH_ARG(uint64_t, seed) = 0;
  /// Profiled training steps for the breakdown, on the timed steps' batches after those; 0: no
  /// breakdown.
  TORCH_ARG(int64_t, breakdown_steps) = 0;
};

/// Where a training step's time goes: seconds per step, means over the profiled steps.
struct StepBreakdown {
  int64_t steps = 0;      ///< profiled steps; 0: not measured
  double step = 0;        ///< the whole profiled step (the profiler's cost included)
  double batch = 0;       ///< building the batch (neighbour lists, collation)
  double optimizer = 0;   ///< zero_grad() and the optimizer's step
  /// The network's parts and the loss (nn::step_parts::kAll, in that order).
  std::vector<std::pair<nn::StepPart, PartProfiler::Times>> parts;
  /// Forward and backward outside every part: residual sums, stacking the targets, the
  /// autograd engine's own work and gradient accumulation.
  PartProfiler::Times other;
};

struct Throughput {
  double train_molecules_per_s = 0;
  double infer_molecules_per_s = 0;
  double reference_train_molecules_per_s = 0;  ///< 0 when not measured
  double atoms_per_batch = 0, edges_per_batch = 0;  ///< means over the timed batches
  /// model_flops() per molecule: forward is an inference pass, total() a training step.
  Flops flops_per_molecule;
  /// Achieved rates: the counted FLOPs over the whole step's time (a lower bound on the rate
  /// of the counted parts, since the step also builds the batch, gates, reads out, steps).
  double train_gflops = 0, infer_gflops = 0;
  /// The process' peak resident memory once the fused steps ran, before the reference's (the
  /// data set read, the model, its optimizer state, the largest step's temporaries).
  int64_t peak_resident_bytes = 0;
  /// Measured when ThroughputOptions::breakdown_steps > 0.
  StepBreakdown breakdown;
};

/// Measures `config` (validated; float32) on `dataset`, which needs batch_size * (steps + 1)
/// molecules (std::invalid_argument otherwise) with the configuration's targets on some of
/// them (ConfigError otherwise). Runs on at::get_num_threads() threads.
Throughput measure_throughput(const train::TrainConfig& config, const data::Dataset& dataset,
                              const ThroughputOptions& options);

}  // namespace e3::perf
