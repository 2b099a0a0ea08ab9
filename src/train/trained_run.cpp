#include "e3/train/trained_run.h"

#include <filesystem>
#include <memory>
#include <stdexcept>

#include "e3/train/checkpoint.h"
#include "e3/train/model_builder.h"
#include "e3/train/prediction.h"

namespace e3::train {

RunCheckpoint run_checkpoint_from_string(const std::string& name) {
  if (name == "best") return RunCheckpoint::best;
  if (name == "last") return RunCheckpoint::last;
  throw std::invalid_argument("--checkpoint must be best or last, not '" + name + "'");
}

TrainedRun::TrainedRun(RunDirectory directory, TrainConfig config, models::MoleculeNet model)
    : directory_(std::move(directory)),
      config_(std::move(config)),
      targets_(config_targets(config_)),
      model_(std::move(model)) {}

TrainedRun TrainedRun::open(const std::string& path, RunCheckpoint checkpoint) {
  auto directory = RunDirectory::open(path);
  auto config = TrainConfig::from_file(directory.config());
  config.validate();
  if (checkpoint == RunCheckpoint::best && !std::filesystem::exists(directory.best_checkpoint())) {
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
  TrainedRun run(std::move(directory), std::move(config), std::move(model));
  if (std::filesystem::exists(run.directory_.domain())) run.domain_ = TrainingDomain::load(run.directory_.domain());
  return run;
}

data::Split TrainedRun::split(const data::Dataset& dataset) const { return data::read_split(directory_.split(), dataset); }

std::vector<std::vector<double>> TrainedRun::predict(const data::Dataset& dataset, const std::vector<size_t>& indices) {
  return predict_with_dipoles(dataset, indices).values;
}

bool TrainedRun::has_dipole(size_t index) {
  return model_->head(static_cast<int64_t>(index))->readout->options.readout() == nn::Readout::dipole;
}

Predictions TrainedRun::predict_with_dipoles(const data::Dataset& dataset, const std::vector<size_t>& indices) {
  return train::predict_with_dipoles(model_, dataset, indices, config_.integer("eval_batch_size"),
                                     config_dtype(config_));
}

std::vector<ErrorMetrics> TrainedRun::evaluate(const data::Dataset& dataset, const std::vector<size_t>& indices) {
  return target_errors(predict(dataset, indices), dataset, indices, targets_);
}

}  // namespace e3::train
