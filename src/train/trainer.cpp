#include "e3/train/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "e3/data/atom_refs.h"
#include "e3/data/atomic_file.h"
#include "e3/data/batch.h"
#include "e3/data/sampler.h"
#include "e3/data/statistics.h"
#include "e3/train/learning_curve.h"
#include "e3/train/metrics.h"
#include "e3/train/model_builder.h"
#include "e3/train/prediction.h"

namespace e3::train {
namespace {

using Clock = std::chrono::steady_clock;

// Molecules the initialization is calibrated on (LNet::calibrate).
constexpr size_t kCalibrationMolecules = 128;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::vector<double> targets_of(const data::Dataset& dataset, const std::vector<size_t>& indices, data::Target target) {
  std::vector<double> values;
  values.reserve(indices.size());
  for (size_t index : indices) values.push_back(dataset[index].target(target));
  return values;
}

}  // namespace

Trainer::Trainer(RunDirectory directory, TrainConfig config, data::Dataset dataset, data::Split split,
                 models::LNet model)
    : directory_(std::move(directory)),
      config_(std::move(config)),
      dataset_(std::move(dataset)),
      split_(std::move(split)),
      target_(data::parse_target(config_.string("target"))),
      dtype_(config_dtype(config_)),
      model_(std::move(model)),
      optimizer_(std::make_unique<torch::optim::Adam>(
          model_->parameters(), torch::optim::AdamOptions(config_.number("learning_rate")))) {}

Trainer Trainer::start(TrainConfig config, const std::string& run_path, std::ostream& log) {
  config.validate();
  auto directory = RunDirectory::create(run_path);
  log << "reading " << config.string("data") << std::endl;
  auto dataset = data::Dataset::read(config.string("data"));
  const auto sizes = config.string("split").empty() ? data::default_split_sizes(dataset.size())
                                                    : data::parse_split_sizes(config.string("split"), dataset.size());
  auto split = data::random_split(dataset.size(), sizes, static_cast<uint64_t>(config.integer("seed")));
  if (split.train.empty() || split.val.empty()) {
    throw ConfigError("configuration: 'split' leaves no training or no validation molecules (" +
                      std::to_string(split.train.size()) + " train, " + std::to_string(split.val.size()) + " val)");
  }
  const auto target = data::parse_target(config.string("target"));
  for (const auto* part : {&split.train, &split.val, &split.test}) dataset.require(target, *part);

  // The kernel normalization (B.7) divides by the typical neighbour count: measured on the
  // training split within the basis' cutoff unless the configuration fixes it.
  const double cutoff = config_cutoff(config);
  if (config.number("avg_num_neighbors") == 0.0) {
    config.set("avg_num_neighbors", std::max(1.0, data::mean_neighbor_count(dataset, split.train, cutoff)), "measured");
  }
  const bool per_atom = config.string("readout") == "sum";
  const auto statistics = data::target_statistics(dataset, split.train, target, per_atom);
  if (!(statistics.std > 0.0)) {
    throw ConfigError(std::string("the training molecules all have the same ") + data::target_name(target) +
                      ": there is nothing to learn");
  }

  const auto seed = static_cast<uint64_t>(config.integer("seed"));
  torch::manual_seed(seed);
  models::LNet model(lnet_options(config, config.number("avg_num_neighbors")));
  model->to(config_dtype(config));
  model->readout->set_statistics(statistics.mean, statistics.std);
  std::vector<double> references;
  for (int64_t z : model->options.elements()) references.push_back(data::atom_reference(z, target));
  model->readout->set_references(torch::tensor(references, torch::kDouble));
  // Data-dependent initialization on a seeded random draw of training molecules (the first
  // ones by QM9 index are the smallest, not representative).
  const auto calibration = data::collate(
      dataset, data::BatchSampler(split.train, kCalibrationMolecules, true, seed).epoch(0).front(), cutoff,
      config_dtype(config));
  model->calibrate(point_clouds(calibration), calibration.atomic_numbers);

  config.save(directory.config());
  data::write_split(directory.split(), split, dataset);
  Trainer trainer(std::move(directory), std::move(config), std::move(dataset), std::move(split), std::move(model));
  trainer.save_last();

  int64_t parameters = 0;
  for (const auto& p : trainer.model_->parameters()) parameters += p.numel();
  log << trainer.dataset_.size() << " molecules: " << trainer.split_.train.size() << " train, "
      << trainer.split_.val.size() << " val, " << trainer.split_.test.size() << " test (seed "
      << trainer.config_.integer("seed") << ")\n"
      << data::target_name(target) << " [" << data::thesis_unit(target) << "]: " << (per_atom ? "per-atom " : "")
      << "mean " << statistics.mean << ", std " << statistics.std << " (2.59, training split)\n"
      << "model: " << trainer.config_.string("representation") << ", " << trainer.config_.integer("layers")
      << " layers, " << parameters << " parameters, " << std::setprecision(4)
      << trainer.config_.number("avg_num_neighbors") << " neighbours per atom within " << cutoff << " A, "
      << "initialization calibrated on " << calibration.num_molecules() << " training molecules" << std::endl;
  return trainer;
}

const std::vector<std::string>& Trainer::resumable_keys() {
  static const std::vector<std::string> keys = {"epochs", "max_minutes", "checkpoint_minutes", "data"};
  return keys;
}

Trainer Trainer::resume(const std::string& run_path,
                        const std::vector<std::pair<std::string, std::string>>& overrides, std::ostream& log) {
  auto directory = RunDirectory::open(run_path);
  auto config = TrainConfig::from_file(directory.config());
  const auto& allowed = resumable_keys();
  for (const auto& [key, value] : overrides) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw ConfigError("--resume continues a run as it was configured: only --epochs, --max-minutes, "
                        "--checkpoint-minutes and --data may be given, not --" + key);
    }
    config.set_from_text(key, value, "--" + key);
  }
  config.validate();
  log << "reading " << config.string("data") << std::endl;
  auto dataset = data::Dataset::read(config.string("data"));
  auto split = data::read_split(directory.split(), dataset);
  models::LNet model(lnet_options(config, config.number("avg_num_neighbors")));
  model->to(config_dtype(config));
  if (!overrides.empty()) config.save(directory.config());
  Trainer trainer(std::move(directory), std::move(config), std::move(dataset), std::move(split), std::move(model));
  load_checkpoint(trainer.directory_.last_checkpoint(), *trainer.model_, trainer.optimizer_.get(), &trainer.state_);
  log << "resuming " << run_path << " at epoch " << trainer.state_.epoch + 1 << ", batch " << trainer.state_.batch
      << std::endl;
  return trainer;
}

double Trainer::step(const std::vector<size_t>& indices) {
  const auto batch = data::collate(dataset_, indices, model_->cutoff(), dtype_);
  model_->train();
  optimizer_->zero_grad();
  const auto prediction = model_->forward(point_clouds(batch), batch.atomic_numbers);
  const auto target = batch.targets.select(1, static_cast<int64_t>(data::target_index(target_)));
  const double variance = model_->readout->std() * model_->readout->std();
  const auto loss = (prediction - target).pow(2).mean() / variance;
  const double value = loss.item<double>();
  if (!std::isfinite(value)) {
    std::string ids;
    for (size_t index : indices) ids += (ids.empty() ? "" : " ") + dataset_[index].id;
    throw TrainingError("training diverged at epoch " + std::to_string(state_.epoch + 1) + ", batch " +
                        std::to_string(state_.batch + 1) + ": the loss is " + std::to_string(value) +
                        " (molecules " + ids + "); the last checkpoint is intact: lower learning_rate and resume");
  }
  loss.backward();
  optimizer_->step();
  return value;
}

Trainer::Outcome Trainer::run(Progress& progress, const std::atomic<bool>* stop, int64_t max_steps) {
  const auto start = Clock::now();
  const double time_limit = config_.number("max_minutes") * 60.0;
  const double checkpoint_interval = config_.number("checkpoint_minutes") * 60.0;
  auto last_save = Clock::now();
  int64_t steps = 0;
  const data::BatchSampler sampler(split_.train, static_cast<size_t>(config_.integer("batch_size")),
                                   /*shuffle=*/true, static_cast<uint64_t>(config_.integer("seed")));
  const int64_t epochs = config_.integer("epochs");
  while (state_.epoch < epochs) {
    const auto batches = sampler.epoch(static_cast<uint64_t>(state_.epoch));
    const auto num_batches = static_cast<int64_t>(batches.size());
    progress.begin_epoch(state_.epoch + 1, epochs, num_batches, state_.batch);
    while (state_.batch < num_batches) {
      Outcome early = Outcome::finished;
      if (stop && stop->load()) early = Outcome::interrupted;
      if (time_limit > 0.0 && seconds_since(start) >= time_limit) early = Outcome::time_limit;
      if (max_steps >= 0 && steps >= max_steps) early = Outcome::step_limit;
      if (early != Outcome::finished) {
        save_last();
        return early;
      }
      const auto& indices = batches[static_cast<size_t>(state_.batch)];
      const auto step_start = Clock::now();
      const double loss = step(indices);
      const double seconds = seconds_since(step_start);
      ++steps;
      ++state_.step;
      ++state_.batch;
      state_.epoch_loss_sum += loss;
      state_.epoch_molecules += static_cast<int64_t>(indices.size());
      state_.epoch_seconds += seconds;
      state_.elapsed_seconds += seconds;
      progress.batch_done(state_.batch, double(state_.epoch_molecules) / state_.epoch_seconds,
                          state_.epoch_loss_sum / double(state_.batch));
      if (seconds_since(last_save) >= checkpoint_interval) {
        save_last();
        last_save = Clock::now();
      }
    }
    finish_epoch(progress);
    last_save = Clock::now();
  }
  return Outcome::finished;
}

void Trainer::finish_epoch(Progress& progress) {
  const auto predictions = predict(model_, dataset_, split_.val, config_.integer("eval_batch_size"), dtype_);
  const auto validation = error_metrics(predictions, targets_of(dataset_, split_.val, target_));
  EpochRecord record;
  record.epoch = state_.epoch + 1;
  record.train_loss = state_.epoch_loss_sum / double(std::max<int64_t>(1, state_.batch));
  record.val_mae = validation.mae;
  record.val_rmse = validation.rmse;
  record.seconds = state_.epoch_seconds;
  record.molecules_per_second = state_.epoch_seconds > 0 ? double(state_.epoch_molecules) / state_.epoch_seconds : 0;
  record.elapsed_seconds = state_.elapsed_seconds;
  state_.history.push_back(record);

  const bool best = validation.mae < state_.best_val_mae;
  if (best) {
    state_.best_val_mae = validation.mae;
    state_.best_epoch = record.epoch;
    save_checkpoint(directory_.best_checkpoint(), *model_, nullptr, nullptr);
  }
  ++state_.epoch;
  state_.batch = 0;
  state_.epoch_loss_sum = 0.0;
  state_.epoch_molecules = 0;
  state_.epoch_seconds = 0.0;
  save_last();
  data::write_file_atomically(directory_.metrics(), metrics_csv(state_.history));
  const std::string unit = data::thesis_unit(target_);
  data::write_file_atomically(
      directory_.learning_curve(),
      learning_curve_svg(state_.history, std::string(data::target_name(target_)) + ": validation MAE per epoch", unit));

  std::ostringstream line;
  line << "epoch " << record.epoch << '/' << config_.integer("epochs") << std::setprecision(4) << "  train loss "
       << record.train_loss << "  val MAE " << record.val_mae << ' ' << unit << " (RMSE " << record.val_rmse << ")  "
       << std::fixed << std::setprecision(1) << record.seconds << " s, " << record.molecules_per_second << " mol/s"
       << (best ? "  *best" : "");
  progress.line(line.str());
}

void Trainer::save_last() const {
  save_checkpoint(directory_.last_checkpoint(), *model_, optimizer_.get(), &state_);
}

}  // namespace e3::train
