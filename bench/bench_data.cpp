// Benchmark of the data pipeline (not a test): reading the full QM9 reconstruction and
// building batches of 16 molecules.
//
//   bench_data [DATA] [--cutoff R]
//
// DATA defaults to ../shared/qm9/qm9.extxyz.gz next to the repository. Goals: reading
// under 5 s; a batch under 2% of a training step (a step on 16 molecules takes
// 50-100 ms, so well under 1 ms per batch).

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>

#include "e3/data/batch.h"
#include "e3/data/dataset.h"
#include "e3/data/sampler.h"
#include "args.h"
#include "timing.h"
#include "e3/data/split.h"

namespace {

using e3::bench::Clock;
using e3::bench::seconds_since;


// Builds every batch of one epoch of the training split and returns the mean seconds per batch.
double seconds_per_batch(const e3::data::Dataset& dataset, const std::vector<std::vector<size_t>>& batches,
                         double cutoff, torch::Dtype dtype, int64_t& edges) {
  edges = 0;
  const auto start = Clock::now();
  for (const auto& indices : batches) edges += e3::data::collate(dataset, indices, cutoff, dtype).num_edges();
  return seconds_since(start) / static_cast<double>(batches.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = (std::filesystem::path(E3_SOURCE_DIR) / "../shared/qm9/qm9.extxyz.gz").lexically_normal();
  double cutoff = std::numeric_limits<double>::infinity();
  e3::cli::ArgParser parser("bench_data", "Reading a QM9 file and building batches of 16 molecules from it.");
  parser.positional("DATA", "molecules to read (default: ../shared/qm9/qm9.extxyz.gz)", /*required=*/false)
      .option("cutoff", "R", "edges between atoms closer than R (A)", "inf");
  e3::cli::parse_program_arguments(parser, argc, argv, [&](const e3::cli::ParsedArgs& args) {
    if (!args.positional("DATA").empty()) path = args.positional("DATA").front();
    cutoff = args.real("cutoff");
  });
  torch::set_num_threads(1);

  const auto read_start = Clock::now();
  const e3::data::Dataset dataset = e3::data::Dataset::read(path);
  const double read_seconds = seconds_since(read_start);
  std::printf("read      %s\n", path.c_str());
  std::printf("          %zu molecules in %.3f s (%.0f molecules/s; goal < 5 s)\n", dataset.size(), read_seconds,
              static_cast<double>(dataset.size()) / read_seconds);

  const auto split = e3::data::random_split(dataset.size(), e3::data::default_split_sizes(dataset.size()), 0);
  const e3::data::BatchSampler sampler(split.train, 16, /*shuffle=*/true, 0);
  const auto sample_start = Clock::now();
  const auto batches = sampler.epoch(0);
  const double sample_seconds = seconds_since(sample_start);
  std::printf("sampler   %zu batches of 16 per epoch, ordered in %.2f ms\n", batches.size(), 1e3 * sample_seconds);

  for (const auto dtype : {torch::kFloat32, torch::kFloat64}) {
    int64_t edges = 0;
    const double per_batch = seconds_per_batch(dataset, batches, cutoff, dtype, edges);
    std::printf("collate   %s, cutoff %g A: %.1f us per batch of 16 (%.0f edges on average; %.2f%% of a 50 ms step)\n",
                dtype == torch::kFloat32 ? "float32" : "float64", cutoff, 1e6 * per_batch,
                static_cast<double>(edges) / static_cast<double>(batches.size()), 100.0 * per_batch / 0.050);
  }
  return 0;
}
