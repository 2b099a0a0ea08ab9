#include "e3/train/trained_run.h"

#include <filesystem>
#include <stdexcept>

#include "e3/train/checkpoint.h"
#include "e3/train/model_builder.h"
#include "e3/train/prediction.h"

namespace e3::train {

TrainedRun::TrainedRun(RunDirectory directory, TrainConfig config, data::Target target, models::LNet model)
    : directory_(std::move(directory)), config_(std::move(config)), target_(target), model_(std::move(model)) {}

TrainedRun TrainedRun::open(const std::string& path) {
  auto directory = RunDirectory::open(path);
  auto config = TrainConfig::from_file(directory.config());
  config.validate();
  if (!std::filesystem::exists(directory.best_checkpoint())) {
    throw std::runtime_error(path + ": the run has not finished an epoch yet (no best.pt); continue it with "
                             "`e3cpp train --resume " + path + "`");
  }
  models::LNet model(lnet_options(config, config.number("avg_num_neighbors")));
  model->to(config_dtype(config));
  load_checkpoint(directory.best_checkpoint(), *model, nullptr, nullptr);
  model->eval();
  const auto target = data::parse_target(config.string("target"));
  return TrainedRun(std::move(directory), std::move(config), target, std::move(model));
}

data::Split TrainedRun::split(const data::Dataset& dataset) const { return data::read_split(directory_.split(), dataset); }

std::vector<double> TrainedRun::predict(const data::Dataset& dataset, const std::vector<size_t>& indices) {
  return train::predict(model_, dataset, indices, config_.integer("eval_batch_size"), config_dtype(config_));
}

}  // namespace e3::train
