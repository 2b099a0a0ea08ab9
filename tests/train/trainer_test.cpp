// Training, checkpoints and resumption of an L·Net on a slice of the embedded sample.

#include "e3/train/trainer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <iomanip>
#include <sstream>

#include "e3/train/checkpoint.h"
#include "e3/train/metrics.h"
#include "e3/train/prediction.h"
#include "e3/train/trained_run.h"
#include "files.h"
#include "small_run.h"

namespace e3::train {
namespace {

using testing::small_config;
using testing::TempDir;

std::vector<double> targets_of(const Trainer& trainer, const std::vector<size_t>& indices) {
  std::vector<double> values;
  for (size_t i : indices) values.push_back(trainer.dataset()[i].target(trainer.target()));
  return values;
}

double validation_mae(Trainer& trainer) {
  const auto& val = trainer.split().val;
  return error_metrics(predict(trainer.model(), trainer.dataset(), val, 32, torch::kFloat), targets_of(trainer, val)).mae;
}

TEST(Trainer, TrainingLowersTheValidationError) {
  torch::set_num_threads(2);
  TempDir dir;
  std::ostringstream log;
  auto config = small_config("alpha");
  config.set("epochs", 6, "test");
  auto trainer = Trainer::start(config, dir.file("run"), log);
  const double before = validation_mae(trainer);
  std::ostringstream out;
  Progress progress(out, /*interactive=*/false);
  ASSERT_EQ(trainer.run(progress), Trainer::Outcome::finished);
  const double after = validation_mae(trainer);
  EXPECT_LT(after, 0.8 * before) << "validation MAE before " << before << " a0^3, after " << after << " a0^3";
  // The records of the run.
  ASSERT_EQ(trainer.state().history.size(), 6u);
  EXPECT_EQ(trainer.state().history.back().val_mae, after);
  for (const char* file : {"config.json", "split.json", "metrics.csv", "learning_curve.svg", "last.pt", "best.pt"}) {
    EXPECT_TRUE(std::filesystem::exists(dir.file("run/") + file)) << file;
  }
  const std::string lines = out.str();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 6) << lines;
  const std::string csv = testing::read_file(dir.file("run/metrics.csv"));
  EXPECT_EQ(csv.rfind("epoch,train_loss,val_mae,val_rmse,", 0), 0u);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);
  EXPECT_NE(testing::read_file(dir.file("run/learning_curve.svg")).find("<polyline"), std::string::npos);
}

TEST(Trainer, ResolvedConfigurationIsWritten) {
  TempDir dir;
  std::ostringstream log;
  auto trainer = Trainer::start(small_config(), dir.file("run"), log);
  const auto saved = TrainConfig::from_file(dir.file("run/config.json"));
  EXPECT_GT(saved.number("avg_num_neighbors"), 1.0);  // measured on the training split
  EXPECT_EQ(saved.json(), trainer.config().json());
  EXPECT_NE(log.str().find("160 train, 48 val, 48 test"), std::string::npos) << log.str();
}

TEST(Trainer, CheckpointRoundTripGivesBitIdenticalPredictions) {
  TempDir dir;
  std::ostringstream log, out;
  auto config = small_config("U0");
  config.set("epochs", 1, "test");
  auto trainer = Trainer::start(config, dir.file("run"), log);
  Progress progress(out, false);
  trainer.run(progress);
  const auto& test = trainer.split().test;
  const auto expected = predict(trainer.model(), trainer.dataset(), test, 32, torch::kFloat);
  auto run = TrainedRun::open(dir.file("run"));  // best.pt: the only epoch
  const auto loaded = run.predict(trainer.dataset(), test);
  ASSERT_EQ(loaded.size(), expected.size());
  for (size_t i = 0; i < loaded.size(); ++i) EXPECT_EQ(loaded[i], expected[i]) << i;
}

// N steps, stop, resume, M more steps equals N + M steps without stopping: bit for bit, since
// the data order depends only on (seed, epoch) and the kernels are deterministic for a fixed
// number of threads.
TEST(Trainer, ResumedRunContinuesExactly) {
  torch::set_num_threads(2);
  TempDir dir;
  std::ostringstream log, out;
  Progress progress(out, false);
  const auto config = small_config("mu");
  const int64_t n = 23, m = 17;  // across the end of the first epoch (20 batches) and its validation

  auto straight = Trainer::start(config, dir.file("straight"), log);
  ASSERT_EQ(straight.run(progress, nullptr, n + m), Trainer::Outcome::step_limit);

  auto first = Trainer::start(config, dir.file("resumed"), log);
  ASSERT_EQ(first.run(progress, nullptr, n), Trainer::Outcome::step_limit);
  auto resumed = Trainer::resume(dir.file("resumed"), {}, log);
  EXPECT_EQ(resumed.state().step, n);
  ASSERT_EQ(resumed.run(progress, nullptr, m), Trainer::Outcome::step_limit);

  EXPECT_EQ(resumed.state().step, straight.state().step);
  EXPECT_EQ(resumed.state().epoch, straight.state().epoch);
  EXPECT_EQ(resumed.state().batch, straight.state().batch);
  const auto a = straight.model()->named_parameters(), b = resumed.model()->named_parameters();
  ASSERT_EQ(a.size(), b.size());
  for (const auto& item : a) {
    const auto& other = b[item.key()];
    EXPECT_TRUE(torch::equal(item.value(), other)) << item.key();
  }
  EXPECT_DOUBLE_EQ(resumed.state().history.at(0).val_mae, straight.state().history.at(0).val_mae);
}

TEST(Trainer, ResumeAcceptsOnlyRunLengthChanges) {
  TempDir dir;
  std::ostringstream log;
  Trainer::start(small_config(), dir.file("run"), log);
  EXPECT_NO_THROW(Trainer::resume(dir.file("run"), {{"epochs", "9"}}, log));
  EXPECT_EQ(TrainConfig::from_file(dir.file("run/config.json")).integer("epochs"), 9);
  EXPECT_THROW(Trainer::resume(dir.file("run"), {{"learning_rate", "0.1"}}, log), ConfigError);
}

TEST(Trainer, RefusesToOverwriteARun) {
  TempDir dir;
  std::ostringstream log;
  Trainer::start(small_config(), dir.file("run"), log);
  try {
    Trainer::start(small_config(), dir.file("run"), log);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("already holds a run"), std::string::npos) << error.what();
  }
}

TEST(Trainer, DivergenceStopsWithAClearError) {
  TempDir dir;
  std::ostringstream log, out;
  auto config = small_config("mu");
  config.set("learning_rate", 1e30, "test");
  auto trainer = Trainer::start(config, dir.file("run"), log);
  Progress progress(out, false);
  try {
    trainer.run(progress);
    FAIL() << "expected the loss to stop being finite";
  } catch (const TrainingError& error) {
    EXPECT_NE(std::string(error.what()).find("training diverged at epoch 1"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace e3::train
