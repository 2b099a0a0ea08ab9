#include "e3/train/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace e3::train {
namespace {

using nlohmann::json;

// Infinity (best_score before any validation) is not JSON: null stands for it.
json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }
double number(const json& value) {
  return value.is_null() ? std::numeric_limits<double>::infinity() : value.get<double>();
}

json record_json(const ValidationRecord& r) {
  json targets = json::array();
  for (const auto& t : r.targets) targets.push_back({number(t.mae), number(t.rmse), t.count});
  return {{"epoch", r.epoch},
          {"step", r.step},
          {"molecules", r.molecules},
          {"train_loss", number(r.train_loss)},
          {"learning_rate", r.learning_rate},
          {"score", number(r.score)},
          {"targets", targets},
          {"seconds", r.seconds},
          {"molecules_per_second", r.molecules_per_second},
          {"elapsed_seconds", r.elapsed_seconds}};
}

ValidationRecord record_from(const json& j) {
  ValidationRecord r;
  r.epoch = j.at("epoch");
  r.step = j.at("step");
  r.molecules = j.at("molecules");
  r.train_loss = number(j.at("train_loss"));
  r.learning_rate = j.at("learning_rate");
  r.score = number(j.at("score"));
  for (const auto& t : j.at("targets")) r.targets.push_back({number(t.at(0)), number(t.at(1)), t.at(2).get<int64_t>()});
  r.seconds = j.at("seconds");
  r.molecules_per_second = j.at("molecules_per_second");
  r.elapsed_seconds = j.at("elapsed_seconds");
  return r;
}

std::string state_json(const TrainingState& s) {
  json history = json::array();
  for (const auto& r : s.history) history.push_back(record_json(r));
  // Doubles are written with 17 significant digits by nlohmann::json: they read back exactly.
  return json{{"epoch", s.epoch},
              {"batch", s.batch},
              {"step", s.step},
              {"molecules", s.molecules},
              {"interval_loss_sum", s.interval_loss_sum},
              {"interval_steps", s.interval_steps},
              {"interval_molecules", s.interval_molecules},
              {"interval_seconds", s.interval_seconds},
              {"elapsed_seconds", s.elapsed_seconds},
              {"best_score", number(s.best_score)},
              {"best_step", s.best_step},
              {"best_epoch", s.best_epoch},
              {"validations_since_best", s.validations_since_best},
              {"stopped_early", s.stopped_early},
              {"plateau", {s.plateau.scale, number(s.plateau.best), s.plateau.seen, s.plateau.bad}},
              {"score_scales", s.score_scales},
              {"history", history}}
      .dump();
}

TrainingState state_from(const std::string& text) {
  const auto j = json::parse(text);
  TrainingState s;
  s.epoch = j.at("epoch");
  s.batch = j.at("batch");
  s.step = j.at("step");
  s.molecules = j.at("molecules");
  s.interval_loss_sum = j.at("interval_loss_sum");
  s.interval_steps = j.at("interval_steps");
  s.interval_molecules = j.at("interval_molecules");
  s.interval_seconds = j.at("interval_seconds");
  s.elapsed_seconds = j.at("elapsed_seconds");
  s.best_score = number(j.at("best_score"));
  s.best_step = j.at("best_step");
  s.best_epoch = j.at("best_epoch");
  s.validations_since_best = j.at("validations_since_best");
  s.stopped_early = j.at("stopped_early");
  const auto& plateau = j.at("plateau");
  s.plateau = {plateau.at(0).get<double>(), number(plateau.at(1)), plateau.at(2).get<bool>(), plateau.at(3).get<int64_t>()};
  s.score_scales = j.at("score_scales").get<std::vector<double>>();
  for (const auto& r : j.at("history")) s.history.push_back(record_from(r));
  return s;
}

// The first line of a LibTorch error, without its backtrace.
std::string first_line(const c10::Error& error) {
  std::string text = error.what_without_backtrace();
  return text.substr(0, text.find('\n'));
}

}  // namespace

void save_checkpoint(const std::string& path, const torch::nn::Module& model, const torch::optim::Optimizer* optimizer,
                     const TrainingState* state, const WeightAverage* average) {
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive model_archive;
  model.save(model_archive);
  archive.write("model", model_archive);
  if (optimizer) {
    torch::serialize::OutputArchive optimizer_archive;
    optimizer->save(optimizer_archive);
    archive.write("optimizer", optimizer_archive);
  }
  if (state) {
    archive.write("state", c10::IValue(state_json(*state)));
    archive.write("rng", at::detail::getDefaultCPUGenerator().get_state());
  }
  if (average) {
    torch::serialize::OutputArchive average_archive;
    const auto& values = average->values();
    for (size_t i = 0; i < values.size(); ++i) average_archive.write(std::to_string(i), values[i]);
    average_archive.write("updates", torch::tensor(average->updates(), torch::kLong));
    archive.write("weight_average", average_archive);
  }
  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  try {
    archive.save_to(temporary);
  } catch (const c10::Error& error) {
    std::remove(temporary.c_str());
    throw std::runtime_error(path + ": cannot write the checkpoint (" + first_line(error) + ")");
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::remove(temporary.c_str());
    throw std::runtime_error(path + ": cannot write the checkpoint (" + error.message() + ")");
  }
}

void load_checkpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer* optimizer,
                     TrainingState* state, WeightAverage* average) {
  if (!std::filesystem::exists(path)) throw std::runtime_error(path + ": no such checkpoint");
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    torch::serialize::InputArchive model_archive;
    archive.read("model", model_archive);
    model.load(model_archive);
    if (optimizer) {
      torch::serialize::InputArchive optimizer_archive;
      archive.read("optimizer", optimizer_archive);
      optimizer->load(optimizer_archive);
    }
    if (state) {
      c10::IValue text;
      archive.read("state", text);
      *state = state_from(text.toStringRef());
      // A fresh tensor: InputArchive::read() copies into a defined tensor in place.
      torch::Tensor rng;
      archive.read("rng", rng);
      auto generator = at::detail::getDefaultCPUGenerator();
      generator.set_state(rng);
    }
    if (average) {
      torch::serialize::InputArchive average_archive;
      archive.read("weight_average", average_archive);
      auto& values = average->values();
      for (size_t i = 0; i < values.size(); ++i) {
        torch::Tensor value;
        average_archive.read(std::to_string(i), value);
        if (value.sizes() != values[i].sizes()) throw std::runtime_error("weight average of another model");
        values[i].copy_(value);
      }
      torch::Tensor updates;
      average_archive.read("updates", updates);
      average->set_updates(updates.item<int64_t>());
    }
  } catch (const c10::Error& error) {
    throw std::runtime_error(path + ": not a checkpoint of this model (" + first_line(error) + ")");
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(path + ": not a checkpoint of this version of e3cpp (" + error.what() + ")");
  } catch (const std::runtime_error& error) {
    throw std::runtime_error(path + ": not a checkpoint of this model (" + error.what() + ")");
  }
}

}  // namespace e3::train
