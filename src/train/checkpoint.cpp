#include "e3/train/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace e3::train {
namespace {

// The EpochRecord fields as columns of a float64 tensor.
constexpr int64_t kHistoryColumns = 7;

torch::Tensor history_tensor(const std::vector<EpochRecord>& history) {
  auto t = torch::zeros({static_cast<int64_t>(history.size()), kHistoryColumns}, torch::kDouble);
  auto a = t.accessor<double, 2>();
  for (size_t i = 0; i < history.size(); ++i) {
    const auto& r = history[i];
    const double row[kHistoryColumns] = {double(r.epoch), r.train_loss, r.val_mae, r.val_rmse, r.seconds,
                                         r.molecules_per_second, r.elapsed_seconds};
    for (int64_t c = 0; c < kHistoryColumns; ++c) a[i][c] = row[c];
  }
  return t;
}

std::vector<EpochRecord> history_from(const torch::Tensor& t) {
  std::vector<EpochRecord> history;
  auto a = t.accessor<double, 2>();
  for (int64_t i = 0; i < t.size(0); ++i) {
    history.push_back({static_cast<int64_t>(a[i][0]), a[i][1], a[i][2], a[i][3], a[i][4], a[i][5], a[i][6]});
  }
  return history;
}

torch::Tensor scalar(double value) { return torch::tensor(value, torch::kDouble); }
torch::Tensor scalar(int64_t value) { return torch::tensor(value, torch::kLong); }

// The first line of a LibTorch error, without its backtrace.
std::string first_line(const c10::Error& error) {
  std::string text = error.what_without_backtrace();
  return text.substr(0, text.find('\n'));
}

}  // namespace

void save_checkpoint(const std::string& path, const torch::nn::Module& model, const torch::optim::Optimizer* optimizer,
                     const TrainingState* state) {
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
    archive.write("epoch", scalar(state->epoch));
    archive.write("batch", scalar(state->batch));
    archive.write("step", scalar(state->step));
    archive.write("epoch_loss_sum", scalar(state->epoch_loss_sum));
    archive.write("epoch_molecules", scalar(state->epoch_molecules));
    archive.write("epoch_seconds", scalar(state->epoch_seconds));
    archive.write("elapsed_seconds", scalar(state->elapsed_seconds));
    archive.write("best_val_mae", scalar(state->best_val_mae));
    archive.write("best_epoch", scalar(state->best_epoch));
    archive.write("history", history_tensor(state->history));
    archive.write("rng", at::detail::getDefaultCPUGenerator().get_state());
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
                     TrainingState* state) {
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
      // A fresh tensor for every read: InputArchive::read() copies into a defined tensor in place.
      auto read = [&](const char* key) {
        torch::Tensor t;
        archive.read(key, t);
        return t;
      };
      auto read_int = [&](const char* key) { return read(key).item<int64_t>(); };
      auto read_double = [&](const char* key) { return read(key).item<double>(); };
      state->epoch = read_int("epoch");
      state->batch = read_int("batch");
      state->step = read_int("step");
      state->epoch_loss_sum = read_double("epoch_loss_sum");
      state->epoch_molecules = read_int("epoch_molecules");
      state->epoch_seconds = read_double("epoch_seconds");
      state->elapsed_seconds = read_double("elapsed_seconds");
      state->best_val_mae = read_double("best_val_mae");
      state->best_epoch = read_int("best_epoch");
      state->history = history_from(read("history"));
      auto generator = at::detail::getDefaultCPUGenerator();
      generator.set_state(read("rng"));
    }
  } catch (const c10::Error& error) {
    throw std::runtime_error(path + ": not a checkpoint of this model (" + first_line(error) + ")");
  }
}

}  // namespace e3::train
