#include "e3/train/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "e3/data/atomic_file.h"
#include "e3/data/batch.h"
#include "e3/data/geometry.h"
#include "e3/data/sampler.h"
#include "e3/data/statistics.h"
#include "e3/train/learning_curve.h"
#include "e3/train/model_builder.h"
#include "e3/train/prediction.h"
#include "e3/train/training_domain.h"

namespace e3::train {
namespace {

using Clock = std::chrono::steady_clock;

// Molecules the initialization is calibrated on (MoleculeNetImpl::calibrate).
constexpr size_t kCalibrationMolecules = 128;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// What start() and resume() both require of the data before a step is taken: every element
// known to the model, no two atoms of a molecule (nearly) coinciding, and every target given
// for some training and some validation molecule (a molecule without a target is masked out of
// that target's loss and metrics).
void check_data(const models::MoleculeNet& model, const data::Dataset& dataset, const data::Split& split,
                const std::vector<data::Target>& targets, const std::string& data_path) {
  if (split.train.empty() || split.val.empty()) {
    throw ConfigError("configuration: 'split' leaves no training or no validation molecules (" +
                      std::to_string(split.train.size()) + " train, " + std::to_string(split.val.size()) + " val)");
  }
  for (const auto* part : {&split.train, &split.val, &split.test}) {
    require_known_elements(model, dataset, *part);
    for (size_t index : *part) data::check_atom_distances(dataset[index]);
  }
  for (auto target : targets) {
    for (const auto& [part, name] : {std::pair{&split.train, "training"}, std::pair{&split.val, "validation"}}) {
      if (dataset.with_target(*part, target).empty()) {
        throw ConfigError(data_path + ": no " + std::string(name) + " molecule has the target " +
                          data::target_name(target) + ": there is nothing to learn or measure it on");
      }
    }
  }
}

int64_t batches_per_epoch(const TrainConfig& config, const data::Split& split) {
  const auto size = config.integer("batch_size");
  return (static_cast<int64_t>(split.train.size()) + size - 1) / size;
}

ScheduleOptions schedule_options(const TrainConfig& config, const data::Split& split) {
  ScheduleOptions options;
  options.kind = schedule_kind_from_string(config.string("lr_schedule"));
  options.base = config.number("learning_rate");
  options.warmup_steps = config.integer("lr_warmup_steps");
  options.factor = config.number("lr_factor");
  options.patience = config.integer("lr_patience");
  options.min = config.number("lr_min");
  options.total_steps = config.integer("epochs") * batches_per_epoch(config, split);
  return options;
}

}  // namespace

Trainer::Trainer(RunDirectory directory, TrainConfig config, data::Dataset dataset, data::Split split,
                 models::MoleculeNet model, std::shared_ptr<DataParallel> parallel)
    : directory_(std::move(directory)),
      config_(std::move(config)),
      dataset_(std::move(dataset)),
      split_(std::move(split)),
      targets_(config_targets(config_)),
      dtype_(config_dtype(config_)),
      model_(std::move(model)),
      parameters_(model_->parameters()),
      optimizer_(config_optimizer(config_, parameters_)),
      loss_(config_loss(config_)),
      interval_(parse_validation_interval(config_.string("validate_every"))),
      schedule_(std::make_unique<LearningRateSchedule>(schedule_options(config_, split_))),
      parallel_(parallel ? std::move(parallel) : std::make_shared<SingleProcess>()) {
  if (config_.number("ema_decay") > 0.0) {
    average_ = std::make_unique<WeightAverage>(parameters_, config_.number("ema_decay"));
  }
  parallel_->attach(parameters_);
}

void Trainer::synchronize_ranks() {
  std::vector<torch::Tensor> tensors = parameters_;
  for (const auto& buffer : model_->buffers()) tensors.push_back(buffer);
  if (average_) tensors.insert(tensors.end(), average_->values().begin(), average_->values().end());
  parallel_->broadcast(tensors);
}

Trainer Trainer::start(TrainConfig config, const std::string& run_path, std::ostream& log,
                       std::shared_ptr<DataParallel> parallel) {
  config.validate();
  const bool main = !parallel || parallel->is_main();
  auto directory = main ? RunDirectory::create(run_path) : RunDirectory::named(run_path);
  const std::string& data_path = config.string("data");
  log << "reading " << data_path << std::endl;
  if (const auto notice = precision_notice(config); !notice.empty()) log << notice << std::endl;
  auto dataset = data::Dataset::read(data_path, config.read_options());
  const auto sizes = config.string("split").empty() ? data::default_split_sizes(dataset.size())
                                                    : data::parse_split_sizes(config.string("split"), dataset.size());
  const int64_t split_seed = config.integer("split_seed") >= 0 ? config.integer("split_seed") : config.integer("seed");
  auto split = data::random_split(dataset.size(), sizes, static_cast<uint64_t>(split_seed));
  const auto targets = config_targets(config);

  // The kernel normalization (B.7) divides by the typical neighbour count: measured on the
  // training split within the basis' cutoff unless the configuration fixes it.
  const double cutoff = config_cutoff(config);
  if (config.number("avg_num_neighbors") == 0.0 && !split.train.empty()) {
    config.set("avg_num_neighbors", std::max(1.0, data::mean_neighbor_count(dataset, split.train, cutoff)), "measured");
  }
  const auto seed = static_cast<uint64_t>(config.integer("seed"));
  torch::manual_seed(seed);
  models::MoleculeNet model(model_options(config, std::max(1.0, config.number("avg_num_neighbors"))));
  model->to(config_dtype(config));
  check_data(model, dataset, split, targets, data_path);

  // The output layer of each target: its atom references (2.58) and the statistics of (2.59)
  // on the training molecules that have it.
  const auto statistics = fit_output_layers(*model, dataset, split.train, targets);
  std::ostringstream statistics_log;
  std::vector<double> score_scales;
  for (size_t h = 0; h < targets.size(); ++h) {
    const auto target = targets[h];
    const auto training = dataset.with_target(split.train, target);
    score_scales.push_back(data::target_statistics(dataset, training, target, /*per_atom=*/false).std);
    const auto& readout = model->head(static_cast<int64_t>(h))->readout;
    statistics_log << data::target_name(target) << " [" << data::thesis_unit(target) << "]: "
                   << (per_atom_statistics(readout->options.readout()) ? "per-atom " : "") << "mean "
                   << statistics[h].mean << ", std " << statistics[h].std << " (2.59, " << statistics[h].count
                   << " training molecules)";
    if (nn::is_physical(readout->options.readout())) {
      statistics_log << "; " << nn::to_string(readout->options.readout()) << " readout, "
                     << (readout->options.readout() == nn::Readout::dipole ? "charge" : "weight") << " scale "
                     << readout->scale();
      if (readout->options.readout() == nn::Readout::spatial_extent) statistics_log << ", mean weight " << readout->mean();
    }
    statistics_log << "\n";
  }
  std::string initialization = "initialization of (B.7)";
  if (config.boolean("calibrate")) {
    // Data-dependent initialization on a seeded random draw of training molecules (the first
    // ones by QM9 index are the smallest, not representative).
    const auto calibration = data::collate(
        dataset, data::BatchSampler(split.train, kCalibrationMolecules, true, seed).epoch(0).front(), cutoff,
        config_dtype(config));
    model->calibrate(point_clouds(calibration), calibration.atomic_numbers);
    initialization = "initialization calibrated on " + std::to_string(calibration.num_molecules()) + " training molecules";
  }

  if (main) {
    config.save(directory.config());
    data::write_split(directory.split(), split, dataset);
    TrainingDomain::of(dataset, split.train).save(directory.domain());
  }
  Trainer trainer(std::move(directory), std::move(config), std::move(dataset), std::move(split), std::move(model),
                  std::move(parallel));
  trainer.state_.score_scales = score_scales;
  trainer.synchronize_ranks();
  trainer.save_last();

  int64_t parameters = 0;
  for (const auto& p : trainer.parameters_) parameters += p.numel();
  const auto& c = trainer.config_;
  log << trainer.dataset_.size() << " molecules: " << trainer.split_.train.size() << " train, "
      << trainer.split_.val.size() << " val, " << trainer.split_.test.size() << " test (seed " << split_seed
      << (split_seed != c.integer("seed") ? "; initialization and data order: seed " + std::to_string(c.integer("seed")) : "")
      << ")\n"
      << statistics_log.str() << "model: " << c.string("model") << ", " << c.string("representation") << ", "
      << (c.string("model") == "lnet" ? c.integer("layers") : c.integer("featurization_layers"))
      << (c.string("model") == "lnet" ? " layers, " : " featurization layers, ") << trainer.targets_.size()
      << (trainer.targets_.size() == 1 ? " output, " : " outputs, ") << parameters << " parameters, "
      << std::setprecision(4) << c.number("avg_num_neighbors") << " neighbours per atom within " << cutoff << " A, "
      << initialization;
  if (trainer.parallel_->world_size() > 1) {
    log << "; " << trainer.parallel_->world_size() << " processes, each on its share of every batch";
  }
  log << std::endl;
  return trainer;
}

const std::vector<std::string>& Trainer::resumable_keys() {
  static const std::vector<std::string> keys = {"epochs", "max_minutes", "checkpoint_minutes", "data"};
  return keys;
}

void Trainer::apply_resume_overrides(TrainConfig& config,
                                     const std::vector<std::pair<std::string, std::string>>& overrides) {
  const auto& allowed = resumable_keys();
  for (const auto& [key, value] : overrides) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw ConfigError("--resume continues a run as it was configured: only --epochs, --max-minutes, "
                        "--checkpoint-minutes and --data may be given, not --" + key);
    }
    config.set_from_text(key, value, "--" + key);
  }
}

Trainer Trainer::resume(const std::string& run_path,
                        const std::vector<std::pair<std::string, std::string>>& overrides, std::ostream& log,
                        std::shared_ptr<DataParallel> parallel) {
  auto directory = RunDirectory::open(run_path);
  auto config = TrainConfig::from_file(directory.config());
  apply_resume_overrides(config, overrides);
  config.validate();
  log << "reading " << config.string("data") << std::endl;
  if (const auto notice = precision_notice(config); !notice.empty()) log << notice << std::endl;
  auto dataset = data::Dataset::read(config.string("data"), config.read_options());
  auto split = data::read_split(directory.split(), dataset);
  models::MoleculeNet model(model_options(config, config.number("avg_num_neighbors")));
  model->to(config_dtype(config));
  check_data(model, dataset, split, config_targets(config), config.string("data"));
  if (!parallel || parallel->is_main()) {
    if (!overrides.empty()) config.save(directory.config());
    if (const int removed = directory.remove_abandoned_checkpoints()) {
      log << "removed " << removed << " checkpoint file(s) a killed process was writing" << std::endl;
    }
  }
  Trainer trainer(std::move(directory), std::move(config), std::move(dataset), std::move(split), std::move(model),
                  std::move(parallel));
  load_checkpoint(trainer.directory_.last_checkpoint(), *trainer.model_, trainer.optimizer_.get(), &trainer.state_,
                  trainer.average_.get());
  trainer.synchronize_ranks();
  trainer.schedule_ = std::make_unique<LearningRateSchedule>(schedule_options(trainer.config_, trainer.split_),
                                                             trainer.state_.plateau);
  log << "resuming " << run_path << " at epoch " << trainer.state_.epoch + 1 << ", batch " << trainer.state_.batch
      << " (step " << trainer.state_.step << ")" << std::endl;
  return trainer;
}

double Trainer::step(const std::vector<size_t>& indices) {
  // This rank's shard of the batch; its part of the loss is divided by the whole batch's count
  // of each target, so that the ranks' parts, and their gradients, add up to the batch's.
  const auto shard = shard_of(indices, parallel_->rank(), parallel_->world_size());
  std::vector<int64_t> columns;
  std::vector<double> sigma, counts;
  for (size_t h = 0; h < targets_.size(); ++h) {
    columns.push_back(static_cast<int64_t>(data::target_index(targets_[h])));
    sigma.push_back(model_->head(static_cast<int64_t>(h))->readout->std());
    counts.push_back(double(std::count_if(indices.begin(), indices.end(),
                                          [&](size_t index) { return dataset_[index].has(targets_[h]); })));
  }
  model_->train();
  optimizer_->zero_grad();
  double local = 0.0;
  if (!shard.empty()) {
    const auto batch = data::collate(dataset_, shard, model_->cutoff(), dtype_);
    const auto prediction = model_->forward(point_clouds(batch), batch.atomic_numbers);
    const auto column_index = torch::tensor(columns, torch::kLong);
    const auto loss = normalized_loss(prediction, batch.targets.index_select(1, column_index),
                                      batch.target_mask.index_select(1, column_index),
                                      torch::tensor(sigma, torch::kDouble), loss_, torch::tensor(counts, torch::kDouble));
    local = loss.item<double>();
    if (std::isfinite(local)) loss.backward();
  }
  parallel_->sum_gradients();
  auto total = torch::tensor({local}, torch::kDouble);
  parallel_->sum(total);
  const double value = total.item<double>();
  if (!std::isfinite(value)) {
    std::string ids;
    for (size_t index : indices) ids += (ids.empty() ? "" : " ") + dataset_[index].id;
    throw TrainingError("training diverged at epoch " + std::to_string(state_.epoch + 1) + ", batch " +
                        std::to_string(state_.batch + 1) + ": the loss is " + std::to_string(value) +
                        " (molecules " + ids + "); the last checkpoint is intact: lower learning_rate and resume");
  }
  if (config_.number("clip_grad_norm") > 0.0) torch::nn::utils::clip_grad_norm_(parameters_, config_.number("clip_grad_norm"));
  const double rate = schedule_->rate(state_.step);
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(rate);
  optimizer_->step();
  if (average_) average_->update(parameters_);
  return value;
}

bool Trainer::validation_due() {
  switch (interval_.unit) {
    case ValidationInterval::Unit::epoch: return false;  // at the end of the epoch
    case ValidationInterval::Unit::steps: return double(state_.interval_steps) >= interval_.every;
    // Each rank has its own clock: they validate when any of them is due.
    case ValidationInterval::Unit::minutes: return parallel_->any(state_.interval_seconds >= interval_.every * 60.0);
  }
  return false;
}

Trainer::Outcome Trainer::run(Progress& progress, const std::atomic<bool>* stop, int64_t max_steps) {
  if (state_.stopped_early) return Outcome::early_stopped;
  const auto start = Clock::now();
  const double time_limit = config_.number("max_minutes") * 60.0;
  const double checkpoint_interval = config_.number("checkpoint_minutes") * 60.0;
  auto last_save = Clock::now();
  int64_t steps = 0;
  const data::BatchSampler sampler(split_.train, static_cast<size_t>(config_.integer("batch_size")),
                                   /*shuffle=*/true, static_cast<uint64_t>(config_.integer("seed")));
  const int64_t epochs = config_.integer("epochs");
  const auto num_batches = static_cast<int64_t>(sampler.num_batches());
  while (state_.epoch < epochs) {
    const auto batches = sampler.epoch(static_cast<uint64_t>(state_.epoch));
    progress.begin_epoch(state_.epoch + 1, epochs, num_batches, state_.batch);
    while (state_.batch < num_batches) {
      Outcome early = Outcome::finished;
      if (stop && stop->load()) early = Outcome::interrupted;
      if (time_limit > 0.0 && seconds_since(start) >= time_limit) early = Outcome::time_limit;
      if (max_steps >= 0 && steps >= max_steps) early = Outcome::step_limit;
      // The ranks stop together, at the step where the first of them has a reason to.
      if (parallel_->any(early != Outcome::finished)) {
        save_last();
        return early != Outcome::finished ? early : Outcome::interrupted;
      }
      const auto& indices = batches[static_cast<size_t>(state_.batch)];
      const auto step_start = Clock::now();
      const double loss = step(indices);
      const double seconds = seconds_since(step_start);
      ++steps;
      ++state_.step;
      ++state_.batch;
      state_.molecules += static_cast<int64_t>(indices.size());
      state_.interval_loss_sum += loss;
      ++state_.interval_steps;
      state_.interval_molecules += static_cast<int64_t>(indices.size());
      state_.interval_seconds += seconds;
      state_.elapsed_seconds += seconds;
      progress.batch_done(state_.batch, double(state_.interval_molecules) / state_.interval_seconds,
                          state_.interval_loss_sum / double(state_.interval_steps));
      const bool last_step = state_.epoch + 1 == epochs && state_.batch == num_batches;
      if (!last_step && validation_due()) {
        const auto outcome = validate(progress, num_batches);
        last_save = Clock::now();
        if (outcome != Outcome::finished) return outcome;
      } else if (seconds_since(last_save) >= checkpoint_interval) {
        save_last();
        last_save = Clock::now();
      }
    }
    ++state_.epoch;
    state_.batch = 0;
    const bool last_epoch = state_.epoch == epochs;
    if (interval_.unit == ValidationInterval::Unit::epoch || last_epoch) {
      const auto outcome = validate(progress, num_batches);
      if (outcome != Outcome::finished) return outcome;
    } else {
      save_last();
    }
    last_save = Clock::now();
  }
  return Outcome::finished;
}

Trainer::Outcome Trainer::validate(Progress& progress, int64_t batches_per_epoch) {
  if (average_) average_->swap(parameters_);
  // Each rank validates its shard; the sums of the errors add up to those of the whole split.
  const auto shard = shard_of(split_.val, parallel_->rank(), parallel_->world_size());
  const auto predictions = predict(model_, dataset_, shard, config_.integer("eval_batch_size"), dtype_);
  auto sums = target_error_sums(predictions, dataset_, shard, targets_);
  auto totals = torch::zeros({static_cast<int64_t>(sums.size()), 3}, torch::kDouble);
  for (size_t t = 0; t < sums.size(); ++t) {
    totals[t][0] = sums[t].absolute;
    totals[t][1] = sums[t].squared;
    totals[t][2] = double(sums[t].count);
  }
  parallel_->sum(totals);
  ValidationRecord record;
  for (size_t t = 0; t < sums.size(); ++t) {
    const ErrorSums total{totals[t][0].item<double>(), totals[t][1].item<double>(), totals[t][2].item<int64_t>()};
    record.targets.push_back(total.metrics());
  }
  for (size_t h = 0; h < targets_.size(); ++h) {
    record.score += record.targets[h].mae / state_.score_scales.at(h);
  }
  record.score /= double(targets_.size());
  const bool best = record.score < state_.best_score;
  if (best && parallel_->is_main()) save_checkpoint(directory_.best_checkpoint(), *model_, nullptr, nullptr);
  if (average_) average_->swap(parameters_);

  record.epoch = double(state_.epoch) + double(state_.batch) / double(std::max<int64_t>(1, batches_per_epoch));
  record.step = state_.step;
  record.molecules = state_.molecules;
  record.train_loss = state_.interval_steps > 0 ? state_.interval_loss_sum / double(state_.interval_steps) : 0.0;
  record.learning_rate = schedule_->rate(std::max<int64_t>(0, state_.step - 1));
  record.seconds = state_.interval_seconds;
  record.molecules_per_second = state_.interval_seconds > 0 ? double(state_.interval_molecules) / state_.interval_seconds : 0;
  record.elapsed_seconds = state_.elapsed_seconds;
  state_.history.push_back(record);
  state_.interval_loss_sum = 0.0;
  state_.interval_steps = 0;
  state_.interval_molecules = 0;
  state_.interval_seconds = 0.0;
  if (best) {
    state_.best_score = record.score;
    state_.best_step = record.step;
    state_.best_epoch = record.epoch;
    state_.validations_since_best = 0;
  } else {
    ++state_.validations_since_best;
  }
  const bool rate_reduced = schedule_->observe(record.score);
  state_.plateau = schedule_->state();
  const int64_t patience = config_.integer("patience");
  state_.stopped_early = patience > 0 && state_.validations_since_best >= patience;

  save_last();
  if (parallel_->is_main()) {
    std::vector<std::string> names;
    for (auto target : targets_) names.push_back(data::target_name(target));
    data::write_file_atomically(directory_.metrics(), metrics_csv(state_.history, names));
    data::write_file_atomically(directory_.learning_curve(),
                                learning_curve_svg(state_.history, targets_, state_.score_scales));
  }

  std::ostringstream line;
  const bool whole_epoch = interval_.unit == ValidationInterval::Unit::epoch;
  line << "epoch " << std::setprecision(whole_epoch ? 6 : 3) << record.epoch << '/' << config_.integer("epochs")
       << "  step " << record.step << std::setprecision(4) << "  train loss " << record.train_loss;
  if (targets_.size() == 1) {
    const std::string unit = data::thesis_unit(targets_[0]);
    line << "  val MAE " << record.targets[0].mae << ' ' << unit << " (RMSE " << record.targets[0].rmse << ")";
  } else {
    line << "  val score " << record.score << " (MAE:";
    for (size_t h = 0; h < targets_.size(); ++h) {
      line << ' ' << data::target_name(targets_[h]) << ' ' << record.targets[h].mae << ' '
           << data::thesis_unit(targets_[h]) << (h + 1 < targets_.size() ? "," : ")");
    }
  }
  line << "  lr " << std::setprecision(3) << record.learning_rate << std::fixed << std::setprecision(1) << "  "
       << record.seconds << " s, " << record.molecules_per_second << " mol/s" << (best ? "  *best" : "")
       << (rate_reduced ? "  (learning rate reduced)" : "");
  progress.line(line.str());
  if (state_.stopped_early) {
    progress.line("early stopping: " + std::to_string(patience) + " validations without improvement");
    return Outcome::early_stopped;
  }
  if (observer_ && !observer_(record)) return Outcome::stopped_by_observer;
  return Outcome::finished;
}

void Trainer::save_last() const {
  if (!parallel_->is_main()) return;
  save_checkpoint(directory_.last_checkpoint(), *model_, optimizer_.get(), &state_, average_.get());
}

}  // namespace e3::train
