#include "e3/train/trained_run.h"

#include <cmath>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "e3/train/checkpoint.h"
#include "e3/train/ensemble.h"
#include "e3/train/model_builder.h"
#include "e3/train/prediction.h"

namespace e3::train {

RunCheckpoint run_checkpoint_from_string(const std::string& name) {
  if (name == "best") return RunCheckpoint::best;
  if (name == "last") return RunCheckpoint::last;
  throw std::invalid_argument("--checkpoint must be best or last, not '" + name + "'");
}

TrainedRun::TrainedRun(RunDirectory directory, TrainConfig config, std::vector<models::MoleculeNet> models)
    : directory_(std::move(directory)),
      config_(std::move(config)),
      targets_(config_targets(config_)),
      models_(std::move(models)) {}

namespace {

// The model of the run at `path` with the weights of `checkpoint`, and its configuration (with
// `precision` unless empty).
std::pair<models::MoleculeNet, TrainConfig> open_model(const RunDirectory& directory, RunCheckpoint checkpoint,
                                                       const std::string& precision) {
  auto config = TrainConfig::from_file(directory.config());
  if (!precision.empty()) config.set("precision", precision, "--precision");
  config.validate();
  if (checkpoint == RunCheckpoint::best && !std::filesystem::exists(directory.best_checkpoint())) {
    const std::string& path = directory.path();
    throw std::runtime_error(path + ": the run has not validated yet (no best.pt); continue it with `e3cpp train "
                             "--resume " + path + "` (validate_every sets how soon it validates), or use "
                             "--checkpoint last");
  }
  models::MoleculeNet model(model_options(config, config.number("avg_num_neighbors")));
  model->to(config_dtype(config));
  if (checkpoint == RunCheckpoint::best) {
    load_checkpoint(directory.best_checkpoint(), *model, nullptr, nullptr);
  } else {
    // last.pt holds the trained weights and, when the run averages them, the average.
    std::unique_ptr<WeightAverage> average;
    const auto parameters = model->parameters();
    if (config.number("ema_decay") > 0.0) average = std::make_unique<WeightAverage>(parameters, config.number("ema_decay"));
    TrainingState state;
    load_checkpoint(directory.last_checkpoint(), *model, nullptr, &state, average.get());
    if (average) average->swap(parameters);
  }
  model->eval();
  return {std::move(model), std::move(config)};
}

}  // namespace

TrainedRun TrainedRun::open(const std::string& path, RunCheckpoint checkpoint, const std::string& precision) {
  std::vector<std::string> paths{path};
  if (is_ensemble(path)) {
    paths.clear();
    for (int64_t k = 1; k <= ensemble_members(path); ++k) paths.push_back(ensemble_member_path(path, k));
  }
  std::vector<models::MoleculeNet> models;
  std::optional<TrainConfig> first;
  for (const auto& member : paths) {
    auto [model, config] = open_model(RunDirectory::open(member), checkpoint, precision);
    if (first && config_targets(config) != config_targets(*first)) {
      throw std::runtime_error(member + ": learns other targets than " + paths.front() + ", the ensemble's first member");
    }
    models.push_back(std::move(model));
    if (!first) first = std::move(config);
  }
  TrainedRun run(RunDirectory::open(paths.front()), std::move(*first), std::move(models));
  if (std::filesystem::exists(run.directory_.domain())) run.domain_ = TrainingDomain::load(run.directory_.domain());
  return run;
}

data::Split TrainedRun::split(const data::Dataset& dataset, data::AbsentIds absent) const {
  return data::read_split(directory_.split(), dataset, absent);
}

std::vector<std::vector<double>> TrainedRun::predict(const data::Dataset& dataset, const std::vector<size_t>& indices) {
  return predict_with_dipoles(dataset, indices).values;
}

bool TrainedRun::has_dipole(size_t index) {
  return model()->head(static_cast<int64_t>(index))->readout->options.readout() == nn::Readout::dipole;
}

Predictions TrainedRun::predict_with_dipoles(const data::Dataset& dataset, const std::vector<size_t>& indices) {
  const auto batch_size = config_.integer("eval_batch_size");
  const auto dtype = config_dtype(config_);
  if (models_.size() == 1) return train::predict_with_dipoles(models_.front(), dataset, indices, batch_size, dtype);
  // The members' mean and (population) standard deviation, in two passes (the values of total
  // energies are 1e4 times their spread), and their mean vector.
  std::vector<Predictions> own;
  for (auto& model : models_) own.push_back(train::predict_with_dipoles(model, dataset, indices, batch_size, dtype));
  const double members = static_cast<double>(own.size());
  Predictions mean = own.front();
  mean.spread = mean.values;
  for (size_t h = 0; h < mean.values.size(); ++h) {
    for (size_t i = 0; i < mean.values[h].size(); ++i) {
      double sum = 0;
      for (const auto& member : own) sum += member.values[h][i];
      const double average = sum / members;
      double squares = 0;
      for (const auto& member : own) squares += (member.values[h][i] - average) * (member.values[h][i] - average);
      mean.values[h][i] = average;
      mean.spread[h][i] = std::sqrt(squares / members);
    }
    for (size_t i = 0; i < mean.dipoles[h].size(); ++i) {
      for (size_t axis = 0; axis < 3; ++axis) {
        double sum = 0;
        for (const auto& member : own) sum += member.dipoles[h][i][axis];
        mean.dipoles[h][i][axis] = sum / members;
      }
    }
  }
  return mean;
}

std::vector<ErrorMetrics> TrainedRun::evaluate(const data::Dataset& dataset, const std::vector<size_t>& indices) {
  return target_errors(predict(dataset, indices), dataset, indices, targets_);
}

}  // namespace e3::train
