// The cost of data-parallel communication: the gradient allreduce of an L·Net
// between local ranks, alone and inside training steps.
//
// Started without RANK/WORLD_SIZE, it launches --ranks copies of itself (one thread each, as
// `e3cpp train --nproc` does) and rank 0 prints:
//  - a gloo allreduce of one flat buffer of the model's size, and the allreduce of the model's
//    gradients (ProcessGroupDataParallel::sum_gradients: the buckets the gradients live in):
//    median wall time and the process CPU time they take (which includes gloo's thread, and
//    tells whether the communication is work for the same cores the ranks compute on);
//  - training steps of the preset's batch split over the ranks, without and with the allreduce
//    (forward + backward + Adam; the same steps, so the difference is the communication).
//
//   bench_allreduce [--ranks 2] [--steps 10] [--bucket-mb 25] [--preset configs/l1net.json] [--data PATH]

#include <time.h>
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "e3/data/batch.h"
#include "e3/data/dataset.h"
#include "e3/data/sampler.h"
#include "e3/data/statistics.h"
#include "e3/dist/launcher.h"
#include "e3/dist/process_group_data_parallel.h"
#include "e3/train/config.h"
#include "e3/train/model_builder.h"
#include "args.h"
#include "timing.h"

namespace {

using e3::bench::Clock;
using e3::bench::median;
using e3::bench::seconds_since;

struct Options {
  std::string data = std::string(E3_SOURCE_DIR) + "/data/qm9-sample/qm9-sample.extxyz.gz";
  std::string preset = std::string(E3_SOURCE_DIR) + "/configs/l1net.json";
  int ranks = 2;
  int steps = 10;
  double bucket_mb = 25.0;
};

Options parse(int argc, char** argv) {
  Options options;
  e3::cli::ArgParser parser("bench_allreduce",
                           "The gradient allreduce of data-parallel training between local ranks, alone and in steps.");
  parser.option("data", "FILE", "molecules of the training steps", options.data)
      .option("preset", "CONFIG", "the network whose gradients are summed", options.preset)
      .option("ranks", "N", "local ranks (one thread each)", std::to_string(options.ranks))
      .option("steps", "N", "repeats of each measurement", std::to_string(options.steps))
      .option("bucket-mb", "MB", "size of a gradient bucket", "25");
  e3::cli::parse_program_arguments(parser, argc, argv, [&](const e3::cli::ParsedArgs& args) {
    options.data = args.value("data");
    options.preset = args.value("preset");
    options.ranks = static_cast<int>(args.integer("ranks"));
    options.steps = static_cast<int>(args.integer("steps"));
    options.bucket_mb = args.real("bucket-mb");
  });
  return options;
}

double process_cpu_seconds() {
  timespec time{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time);
  return double(time.tv_sec) + 1e-9 * double(time.tv_nsec);
}

int run_rank(const Options& options, const e3::dist::WorldOptions& world) {
  torch::set_num_threads(e3::dist::threads_from_environment(e3::dist::current_environment()).value_or(1));
  e3::dist::ProcessGroupDataParallel data_parallel(e3::dist::World::connect(world),
                                                   e3::dist::DataParallelOptions().bucket_megabytes(options.bucket_mb));
  const bool main = data_parallel.is_main();

  const auto dataset = e3::data::Dataset::read(options.data);
  auto config = e3::train::TrainConfig::from_file(options.preset);
  config.set("targets", "mu", "bench");
  config.set("data", options.data, "bench");
  config.validate();
  const auto batch_size = static_cast<size_t>(config.integer("batch_size"));
  const auto batches = e3::data::BatchSampler(dataset.all_indices(), batch_size, /*shuffle=*/true, 0).epoch(0);
  const double cutoff = e3::train::config_cutoff(config);
  torch::manual_seed(0);
  e3::models::MoleculeNet model(e3::train::model_options(config, e3::data::mean_neighbor_count(dataset, batches[0], cutoff)));
  model->to(torch::kFloat);
  const auto first = e3::data::collate(dataset, batches[0], cutoff, torch::kFloat);
  model->calibrate(e3::train::point_clouds(first), first.atomic_numbers);
  torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(config.number("learning_rate")));
  data_parallel.attach(model->parameters());
  data_parallel.broadcast(model->parameters());

  int64_t parameters = 0;
  for (const auto& p : model->parameters()) parameters += p.numel();
  if (main) {
    std::printf("%s: %lld parameters (%.1f MB of float32 gradients); %d ranks x %d thread; buckets of %.0f MB\n",
                options.preset.c_str(), (long long)parameters, double(parameters) * 4 / 1e6, data_parallel.world_size(),
                torch::get_num_threads(), options.bucket_mb);
  }

  // One step on this rank's shard of batch `b`; returns (compute seconds, communication seconds).
  auto step = [&](size_t b, bool communicate) {
    const auto& global = batches[b % batches.size()];
    const auto shard = e3::train::shard_of(global, data_parallel.rank(), data_parallel.world_size());
    auto start = Clock::now();
    const auto batch = e3::data::collate(dataset, shard, cutoff, torch::kFloat);
    adam.zero_grad();
    const auto prediction = model->forward(e3::train::point_clouds(batch), batch.atomic_numbers);
    const auto loss = (prediction.select(1, 0) - batch.targets.select(1, 0)).pow(2).mean();
    (loss * e3::train::shard_loss_weight(shard.size(), global.size())).backward();
    double compute = seconds_since(start), communication = 0;
    if (communicate) {
      start = Clock::now();
      data_parallel.sum_gradients();
      communication = seconds_since(start);
    }
    start = Clock::now();
    adam.step();
    return std::make_pair(compute + seconds_since(start), communication);
  };

  step(1, true);  // warm-up
  // Median wall and process CPU time of `communicate`, all ranks starting together.
  auto time = [&](const char* what, const std::function<void()>& communicate) {
    std::vector<double> wall, cpu;
    communicate();  // warm-up
    for (int s = 0; s < options.steps; ++s) {
      data_parallel.barrier();
      const double cpu_start = process_cpu_seconds();
      const auto start = Clock::now();
      communicate();
      wall.push_back(seconds_since(start));
      cpu.push_back(process_cpu_seconds() - cpu_start);
    }
    if (main) std::printf("%-40s %7.1f ms wall %7.1f ms CPU\n", what, 1e3 * median(wall), 1e3 * median(cpu));
  };
  if (main) std::printf("\nmedians of %d; CPU: of this rank's process, gloo's thread included\n", options.steps);
  std::vector<torch::Tensor> flat{torch::ones({parameters}, torch::kFloat)};
  time("gloo allreduce of one flat buffer", [&] {
    data_parallel.world().started();
    data_parallel.world().wait(data_parallel.world().process_group().allreduce(flat), "the allreduce");
  });
  time("sum_gradients (buckets, in place)", [&] { data_parallel.sum_gradients(); });

  for (bool communicate : {false, true}) {
    std::vector<double> totals, communications;
    data_parallel.barrier();
    for (int s = 0; s < options.steps; ++s) {
      const auto [compute, communication] = step(size_t(s + 2), communicate);
      totals.push_back(compute + communication);
      communications.push_back(communication);
    }
    if (main) {
      std::printf("%-40s %7.1f ms, of which sum_gradients %.1f ms\n",
                  communicate ? "training step with the allreduce" : "training step without it", 1e3 * median(totals),
                  1e3 * median(communications));
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  const auto environment = e3::dist::current_environment();
  try {
    if (const auto world = e3::dist::world_options({}, environment)) return run_rank(options, *world);
    const auto result = e3::dist::launch(e3::dist::LaunchOptions(options.ranks), {argv + 1, argv + argc}, environment);
    if (result.exit_code != 0) std::fprintf(stderr, "bench_allreduce: %s\n", result.message.c_str());
    return result.exit_code;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bench_allreduce: %s\n", e3::dist::one_line(error).c_str());
    return 1;
  }
}
