#include "e3/perf/throughput.h"

#include <ATen/record_function.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "e3/data/batch.h"
#include "e3/data/sampler.h"
#include "e3/data/statistics.h"
#include "e3/perf/machine.h"
#include "e3/train/loss.h"
#include "e3/train/model_builder.h"
#include "e3/train/prediction.h"

namespace e3::perf {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The median (the upper one of an even count): robust to a slow outlier step.
double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The stages of a training step, in their order, as the breakdown's clock sees them.
enum class Stage { zero_grad, batch, forward, backward, optimizer };

// A model with its optimizer, taking training steps on the configuration's targets the way
// Trainer::train_step() does on one process.
class Stepper {
 public:
  Stepper(const train::TrainConfig& config, models::MoleculeNet model, const data::Dataset& dataset)
      : dataset_(dataset),
        model_(std::move(model)),
        optimizer_(train::config_optimizer(config, model_->parameters())),
        loss_(train::config_loss(config)) {
    std::vector<int64_t> columns;
    std::vector<double> sigma;
    const auto targets = train::config_targets(config);
    for (size_t h = 0; h < targets.size(); ++h) {
      columns.push_back(static_cast<int64_t>(data::target_index(targets[h])));
      sigma.push_back(model_->head(static_cast<int64_t>(h))->readout->std());
    }
    columns_ = torch::tensor(columns, torch::kLong);
    sigma_ = torch::tensor(sigma, torch::kDouble);
  }

  // One training step on `indices`; `lap(stage)` is called as each stage ends (the breakdown's
  // clock). Returns the batch's edge count.
  template <class Lap>
  int64_t step(const std::vector<size_t>& indices, Lap&& lap) {
    model_->train();
    optimizer_->zero_grad();
    lap(Stage::zero_grad);
    const auto batch = data::collate(dataset_, indices, model_->cutoff(), torch::kFloat);
    const auto clouds = train::point_clouds(batch);
    lap(Stage::batch);
    const auto prediction = model_->forward(clouds, batch.atomic_numbers);
    torch::Tensor loss;
    {
      RECORD_USER_SCOPE(nn::step_parts::kLoss.scope);
      loss = train::normalized_loss(prediction, batch.targets.index_select(1, columns_),
                                    batch.target_mask.index_select(1, columns_), sigma_, loss_);
    }
    lap(Stage::forward);
    loss.backward();
    lap(Stage::backward);
    optimizer_->step();
    lap(Stage::optimizer);
    return batch.num_edges();
  }
  int64_t step(const std::vector<size_t>& indices) {
    return step(indices, [](Stage) {});
  }

  models::MoleculeNet& model() { return model_; }

 private:
  const data::Dataset& dataset_;
  models::MoleculeNet model_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  train::LossOptions loss_;
  torch::Tensor columns_, sigma_;
};

// The same network with the reference convolution, holding a copy of `model`'s weights.
models::MoleculeNet reference_copy(models::MoleculeNet& model) {
  auto options = model->options;
  options.kernel().fused(false);
  models::MoleculeNet reference(options);
  reference->to(torch::kFloat);
  torch::NoGradGuard no_grad;
  const auto parameters = model->named_parameters();
  for (auto& item : reference->named_parameters()) item.value().copy_(parameters[item.key()]);
  const auto buffers = model->named_buffers();
  for (auto& item : reference->named_buffers()) item.value().copy_(buffers[item.key()]);
  return reference;
}

// Where the time of `stepper`'s training steps goes: `steps` profiled steps on batches[1...] (in
// turn), with a clock around each stage and the network's parts timed by a PartProfiler.
StepBreakdown measure_breakdown(Stepper& stepper, const std::vector<std::vector<size_t>>& batches, int64_t steps) {
  StepBreakdown result;
  result.steps = steps;
  double forward = 0, backward = 0;
  std::map<std::string, PartProfiler::Times> times;
  {
    const PartProfiler profiler;
    for (int64_t s = 0; s < steps; ++s) {
      const auto step_start = Clock::now();
      auto stage_start = step_start;
      stepper.step(batches[size_t(s) % (batches.size() - 1) + 1], [&](Stage stage) {
        const double seconds = seconds_since(stage_start);
        stage_start = Clock::now();
        switch (stage) {
          case Stage::zero_grad:
          case Stage::optimizer: result.optimizer += seconds; break;
          case Stage::batch: result.batch += seconds; break;
          case Stage::forward: forward += seconds; break;
          case Stage::backward: backward += seconds; break;
        }
      });
      result.step += seconds_since(step_start);
    }
    times = profiler.times();
  }
  // Per step; what the parts leave of forward and backward is "other".
  const double n = double(steps);
  result.other = {forward / n, backward / n};
  for (const auto& part : nn::step_parts::kAll) {
    const auto found = times.find(part.scope);
    PartProfiler::Times part_times;
    if (found != times.end()) part_times = {found->second.forward / n, found->second.backward / n};
    result.parts.emplace_back(part, part_times);
    result.other.forward -= part_times.forward;
    result.other.backward -= part_times.backward;
  }
  result.step /= n;
  result.batch /= n;
  result.optimizer /= n;
  return result;
}

}  // namespace

Throughput measure_throughput(const train::TrainConfig& config, const data::Dataset& dataset,
                              const ThroughputOptions& options) {
  const int64_t batch_size = options.batch_size() > 0 ? options.batch_size() : config.integer("batch_size");
  const int64_t steps = std::max<int64_t>(1, options.steps());
  const auto all = data::BatchSampler(dataset.all_indices(), size_t(batch_size), true, options.seed()).epoch(0);
  const size_t needed = size_t(steps) + 1;
  if (all.size() < needed || all[needed - 1].size() != size_t(batch_size)) {
    throw std::invalid_argument("measuring " + std::to_string(steps) + " steps of " + std::to_string(batch_size) +
                                " molecules needs " + std::to_string(needed * size_t(batch_size)) +
                                " molecules; the data has " + std::to_string(dataset.size()));
  }
  const std::vector<std::vector<size_t>> batches(all.begin(), all.begin() + long(needed));
  std::vector<size_t> used;
  for (const auto& batch : batches) used.insert(used.end(), batch.begin(), batch.end());

  // The model a training run builds, its statistics and neighbour count taken from the
  // molecules measured on.
  torch::manual_seed(static_cast<uint64_t>(config.integer("seed")));
  const double cutoff = train::config_cutoff(config);
  const double neighbors = config.number("avg_num_neighbors") > 0.0
                               ? config.number("avg_num_neighbors")
                               : std::max(1.0, data::mean_neighbor_count(dataset, used, cutoff));
  models::MoleculeNet model(train::model_options(config, neighbors));
  model->to(torch::kFloat);
  train::fit_output_layers(*model, dataset, used, train::config_targets(config));
  if (config.boolean("calibrate")) {
    const auto first = data::collate(dataset, batches.front(), cutoff, torch::kFloat);
    model->calibrate(train::point_clouds(first), first.atomic_numbers);
  }
  // The reference starts from the same weights as the fused model's first step.
  std::unique_ptr<Stepper> reference;
  if (options.reference_steps() > 0) reference = std::make_unique<Stepper>(config, reference_copy(model), dataset);
  Stepper fused(config, model, dataset);

  Throughput result;
  fused.step(batches.front());  // warm-up: first-touch allocations, oneDNN's kernel generation
  std::vector<double> train_seconds, infer_seconds;
  double flops_train = 0, flops_infer = 0;
  for (int64_t s = 1; s <= steps; ++s) {
    const auto& indices = batches[size_t(s)];
    auto start = Clock::now();
    const int64_t edges = fused.step(indices);
    train_seconds.push_back(seconds_since(start));
    start = Clock::now();
    train::predict(fused.model(), dataset, indices, batch_size, torch::kFloat);
    infer_seconds.push_back(seconds_since(start));

    int64_t atoms = 0;
    for (size_t index : indices) atoms += dataset[index].num_atoms();
    const auto flops = model_flops(*fused.model(), double(atoms), double(edges));
    flops_train += flops.total() / double(steps);
    flops_infer += flops.forward / double(steps);
    result.atoms_per_batch += double(atoms) / double(steps);
    result.edges_per_batch += double(edges) / double(steps);
  }
  result.train_molecules_per_s = double(batch_size) / median(train_seconds);
  result.infer_molecules_per_s = double(batch_size) / median(infer_seconds);
  result.flops_per_molecule = {flops_infer / double(batch_size), (flops_train - flops_infer) / double(batch_size)};
  result.train_gflops = flops_train / median(train_seconds) / 1e9;
  result.infer_gflops = flops_infer / median(infer_seconds) / 1e9;

  result.peak_resident_bytes = peak_resident_bytes();
  if (options.breakdown_steps() > 0) result.breakdown = measure_breakdown(fused, batches, options.breakdown_steps());
  if (reference) {
    std::vector<double> seconds;
    for (int64_t s = 1; s <= options.reference_steps(); ++s) {
      const auto start = Clock::now();
      reference->step(batches[size_t((s - 1) % steps + 1)]);
      seconds.push_back(seconds_since(start));
    }
    result.reference_train_molecules_per_s = double(batch_size) / median(seconds);
  }
  return result;
}

}  // namespace e3::perf
