// Training, checkpoints and resumption of the molecule networks on a slice of the embedded
// sample: single- and multi-target, with and without the schedules, the weight average and
// early stopping.

#include "e3/train/trainer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <iomanip>
#include <sstream>

#include "e3/data/error.h"
#include "e3/train/checkpoint.h"
#include "e3/train/metrics.h"
#include "e3/train/prediction.h"
#include "e3/train/trained_run.h"
#include "files.h"
#include "small_run.h"

namespace e3::train {
namespace {

using testing::small_config;
using testing::small_mlpnet_config;
using testing::TempDir;

std::vector<ErrorMetrics> validation_errors(Trainer& trainer) {
  const auto& val = trainer.split().val;
  return target_errors(predict(trainer.model(), trainer.dataset(), val, 32, torch::kFloat), trainer.dataset(), val,
                       trainer.targets());
}

TEST(Trainer, TrainingLowersTheValidationError) {
  torch::set_num_threads(2);
  TempDir dir;
  std::ostringstream log;
  auto config = small_config("alpha");
  config.set("epochs", 6, "test");
  auto trainer = Trainer::start(config, dir.file("run"), log);
  const double before = validation_errors(trainer)[0].mae;
  std::ostringstream out;
  Progress progress(out, /*interactive=*/false);
  ASSERT_EQ(trainer.run(progress), Trainer::Outcome::finished);
  const double after = validation_errors(trainer)[0].mae;
  EXPECT_LT(after, 0.8 * before) << "validation MAE before " << before << " a0^3, after " << after << " a0^3";
  // The records of the run: one validation per epoch.
  ASSERT_EQ(trainer.state().history.size(), 6u);
  EXPECT_EQ(trainer.state().history.back().targets[0].mae, after);
  EXPECT_EQ(trainer.state().history.back().epoch, 6.0);
  EXPECT_EQ(trainer.state().history.back().step, 6 * 20);
  EXPECT_EQ(trainer.state().history.back().molecules, 6 * 160);
  for (const char* file : {"config.json", "split.json", "metrics.csv", "learning_curve.svg", "last.pt", "best.pt"}) {
    EXPECT_TRUE(std::filesystem::exists(dir.file("run/") + file)) << file;
  }
  const std::string lines = out.str();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 6) << lines;
  const std::string csv = testing::read_file(dir.file("run/metrics.csv"));
  EXPECT_EQ(csv.rfind("epoch,step,molecules,train_loss,learning_rate,val_score,mae_alpha,rmse_alpha,", 0), 0u);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);
  EXPECT_NE(testing::read_file(dir.file("run/learning_curve.svg")).find("<polyline"), std::string::npos);
}

TEST(Trainer, MultiTargetTrainingLowersTheErrorOfEveryTarget) {
  torch::set_num_threads(2);
  TempDir dir;
  std::ostringstream log, out;
  auto config = small_mlpnet_config("all");
  config.set("epochs", 2, "test");
  auto trainer = Trainer::start(config, dir.file("run"), log);
  ASSERT_EQ(trainer.targets().size(), 12u);
  const auto before = validation_errors(trainer);
  Progress progress(out, false);
  ASSERT_EQ(trainer.run(progress), Trainer::Outcome::finished);
  const auto after = validation_errors(trainer);
  for (size_t t = 0; t < 12; ++t) {
    EXPECT_LT(after[t].mae, before[t].mae) << data::target_name(trainer.targets()[t]);
    EXPECT_EQ(after[t].count, 48);
  }
  const std::string csv = testing::read_file(dir.file("run/metrics.csv"));
  EXPECT_NE(csv.find("mae_Cv,rmse_Cv"), std::string::npos);
  EXPECT_NE(out.str().find("val score"), std::string::npos) << out.str();
}

TEST(Trainer, MoleculesWithoutATargetAreMaskedOutOfItsLoss) {
  // Every other molecule lacks U0 (QM9 energies are ~-1e4 eV: trained toward 0, the normalized
  // loss would be ~1e9); the run trains on the others for U0 and on all for mu.
  TempDir dir;
  testing::write_text(dir.file("partial.extxyz"),
                      testing::sample_extxyz(256, "U0", [](size_t index) { return index % 2 == 1; }));
  auto config = small_config("mu,U0");
  config.set("data", dir.file("partial.extxyz"), "test");
  config.set("epochs", 1, "test");
  std::ostringstream log, out;
  auto trainer = Trainer::start(config, dir.file("run"), log);
  EXPECT_NE(log.str().find("U0 [eV]: per-atom mean"), std::string::npos);
  Progress progress(out, false);
  ASSERT_EQ(trainer.run(progress), Trainer::Outcome::finished);
  const auto& record = trainer.state().history.back();
  EXPECT_LT(record.train_loss, 1e3) << out.str();
  EXPECT_EQ(record.targets[0].count, 48);
  int64_t with_u0 = 0;
  for (size_t index : trainer.split().val) with_u0 += trainer.dataset()[index].has(data::Target::U0);
  EXPECT_EQ(record.targets[1].count, with_u0);
  EXPECT_LT(with_u0, 48);
  EXPECT_LT(record.targets[1].mae, 10.0) << "eV";
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
  auto run = TrainedRun::open(dir.file("run"));  // best.pt: the only validation
  EXPECT_EQ(run.predict(trainer.dataset(), test), expected);
}

// N steps, stop, resume, M more steps equals N + M steps without stopping: bit for bit, since
// the data order depends only on (seed, epoch) and the kernels are deterministic for a fixed
// number of threads.
void expect_resume_continues_exactly(const TrainConfig& config, int64_t n, int64_t m) {
  torch::set_num_threads(2);
  TempDir dir;
  std::ostringstream log, out;
  Progress progress(out, false);

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
  for (const auto& item : a) EXPECT_TRUE(torch::equal(item.value(), b[item.key()])) << item.key();
  ASSERT_EQ(resumed.state().history.size(), straight.state().history.size());
  ASSERT_FALSE(straight.state().history.empty());
  for (size_t i = 0; i < straight.state().history.size(); ++i) {
    const auto &r = resumed.state().history[i], &s = straight.state().history[i];
    EXPECT_EQ(r.step, s.step);
    EXPECT_EQ(r.train_loss, s.train_loss) << i;
    EXPECT_EQ(r.learning_rate, s.learning_rate) << i;
    EXPECT_EQ(r.score, s.score) << i;
    for (size_t t = 0; t < s.targets.size(); ++t) EXPECT_EQ(r.targets[t].mae, s.targets[t].mae) << i;
  }
  EXPECT_EQ(resumed.state().plateau.scale, straight.state().plateau.scale);
  ASSERT_EQ(resumed.weight_average() == nullptr, straight.weight_average() == nullptr);
  if (straight.weight_average()) {
    EXPECT_EQ(resumed.weight_average()->updates(), straight.weight_average()->updates());
    const auto &ra = resumed.weight_average()->values(), &sa = straight.weight_average()->values();
    for (size_t i = 0; i < sa.size(); ++i) EXPECT_TRUE(torch::equal(ra[i], sa[i])) << i;
  }
}

TEST(Trainer, ResumedRunContinuesExactly) {
  // Across the end of the first epoch (20 batches) and its validation.
  expect_resume_continues_exactly(small_config("mu"), 23, 17);
}

TEST(Trainer, ResumedRunWithEveryFeatureContinuesExactly) {
  auto config = small_mlpnet_config("mu,U0");
  for (const auto& [key, value] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"validate_every", "6 steps"}, {"lr_schedule", "plateau"}, {"lr_patience", 0}, {"lr_warmup_steps", 5},
           {"ema_decay", 0.9}, {"clip_grad_norm", 5.0}, {"weight_decay", 1e-4}, {"loss", "huber"}, {"patience", 50}}) {
    config.set(key, value, "test");
  }
  // Resumed between two validations, after the plateau has reduced the rate.
  expect_resume_continues_exactly(config, 27, 16);
}

TEST(Trainer, ResumedRunWithPhysicalReadoutsContinuesExactly) {
  // The dipole and spatial extent heads (their scale is a buffer of the state) and the envelope.
  auto config = small_mlpnet_config("mu,r2");
  config.set("readout", "mu=dipole,r2=spatial_extent", "test");
  config.set("radial_basis", "bessel", "test");
  config.set("envelope", "polynomial", "test");
  config.set("ema_decay", 0.9, "test");
  config.set("validate_every", "6 steps", "test");
  expect_resume_continues_exactly(config, 13, 10);
}

TEST(Trainer, PhysicalReadoutsStartAtTheDataScaleAndLearn) {
  TempDir dir;
  std::ostringstream log, out;
  auto config = small_config("mu");
  config.set("readout", "dipole", "test");
  config.set("epochs", 3, "test");
  auto trainer = Trainer::start(config, dir.file("run"), log);
  const auto& readout = trainer.model()->head(0)->readout;
  EXPECT_EQ(readout->options.readout(), nn::Readout::dipole);
  EXPECT_EQ(readout->mean(), 0.0);  // no shift
  EXPECT_GT(readout->scale(), 0.01);  // charges of a few hundredths of e per unit output
  EXPECT_LT(readout->scale(), 1.0);
  EXPECT_NE(log.str().find("dipole readout, charge scale"), std::string::npos) << log.str();
  Progress progress(out, false);
  trainer.run(progress);
  const auto& history = trainer.state().history;
  ASSERT_EQ(history.size(), 3u);
  EXPECT_LT(history.back().targets[0].mae, history.front().targets[0].mae);
}

TEST(Trainer, EarlyStoppingStopsAfterPatienceValidationsWithoutImprovement) {
  auto config = small_config("mu");
  config.set("validate_every", "1 step", "test");
  config.set("patience", 3, "test");
  config.set("epochs", 20, "test");
  config.set("learning_rate", 3e-2, "test");
  TempDir dir;
  std::ostringstream log, out;
  auto trainer = Trainer::start(config, dir.file("run"), log);
  Progress progress(out, false);
  ASSERT_EQ(trainer.run(progress), Trainer::Outcome::early_stopped) << out.str();
  // The rule, recomputed from the records: the run stopped at the first validation that was
  // the third in a row without a new best.
  const auto& history = trainer.state().history;
  double best = INFINITY;
  int64_t since = 0;
  size_t stop = history.size();
  for (size_t i = 0; i < history.size() && stop == history.size(); ++i) {
    if (history[i].score < best) best = history[i].score, since = 0;
    else if (++since == 3) stop = i;
  }
  EXPECT_EQ(stop + 1, history.size());
  EXPECT_EQ(trainer.state().best_score, best);
  EXPECT_NE(out.str().find("early stopping: 3 validations without improvement"), std::string::npos);
  // A stopped run stays stopped.
  auto resumed = Trainer::resume(dir.file("run"), {}, log);
  EXPECT_EQ(resumed.run(progress), Trainer::Outcome::early_stopped);
}

TEST(Trainer, ValidationWithinTheFirstEpochGivesAUsableBestModel) {
  auto config = small_config("mu");
  config.set("validate_every", "5 steps", "test");
  TempDir dir;
  std::ostringstream log, out;
  auto trainer = Trainer::start(config, dir.file("run"), log);
  Progress progress(out, false);
  ASSERT_EQ(trainer.run(progress, nullptr, 7), Trainer::Outcome::step_limit);
  ASSERT_EQ(trainer.state().history.size(), 1u);
  EXPECT_EQ(trainer.state().history[0].step, 5);
  EXPECT_EQ(trainer.state().history[0].epoch, 0.25);  // 5 of 20 batches
  auto run = TrainedRun::open(dir.file("run"));
  const auto errors = run.evaluate(trainer.dataset(), trainer.split().val);
  EXPECT_EQ(errors[0].mae, trainer.state().history[0].targets[0].mae);
}

TEST(Trainer, TheWeightAverageIsWhatValidationAndBestModelUse) {
  auto config = small_config("mu");
  config.set("ema_decay", 0.8, "test");
  config.set("epochs", 1, "test");
  TempDir dir;
  std::ostringstream log, out;
  auto trainer = Trainer::start(config, dir.file("run"), log);
  Progress progress(out, false);
  ASSERT_EQ(trainer.run(progress), Trainer::Outcome::finished);
  const auto raw = validation_errors(trainer)[0].mae;  // the trained weights
  const auto recorded = trainer.state().history.back().targets[0].mae;
  EXPECT_NE(raw, recorded);
  auto best = TrainedRun::open(dir.file("run"));
  EXPECT_EQ(best.evaluate(trainer.dataset(), trainer.split().val)[0].mae, recorded);
  auto last = TrainedRun::open(dir.file("run"), RunCheckpoint::last);
  EXPECT_EQ(last.evaluate(trainer.dataset(), trainer.split().val)[0].mae, recorded);
}

TEST(Trainer, ResumeAcceptsOnlyRunLengthChanges) {
  TempDir dir;
  std::ostringstream log;
  Trainer::start(small_config(), dir.file("run"), log);
  EXPECT_NO_THROW(Trainer::resume(dir.file("run"), {{"epochs", "9"}}, log));
  EXPECT_EQ(TrainConfig::from_file(dir.file("run/config.json")).integer("epochs"), 9);
  EXPECT_THROW(Trainer::resume(dir.file("run"), {{"learning_rate", "0.1"}}, log), ConfigError);
}

TEST(Trainer, ResumeChecksTheDataLikeAStart) {
  // A file without the run's target: refused before any step, last.pt untouched.
  TempDir dir;
  std::ostringstream log;
  testing::write_text(dir.file("all.extxyz"), testing::sample_extxyz(256));
  testing::write_text(dir.file("no_mu.extxyz"), testing::sample_extxyz(256, "mu", [](size_t) { return true; }));
  auto config = small_config("mu");
  config.set("data", dir.file("all.extxyz"), "test");
  Trainer::start(config, dir.file("run"), log);
  const auto before = std::filesystem::last_write_time(dir.file("run/last.pt"));
  try {
    Trainer::resume(dir.file("run"), {{"data", dir.file("no_mu.extxyz")}}, log);
    FAIL() << "expected an error";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("no training molecule has the target mu"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(std::filesystem::last_write_time(dir.file("run/last.pt")), before);
}

TEST(Trainer, RefusesMoleculesWithCoincidentAtoms) {
  // The first molecule's second atom written at the place of its first: an error naming the
  // file and the molecule's line, before any step.
  std::istringstream in(testing::sample_extxyz(256));
  std::ostringstream out;
  std::string first_atom;
  int line_number = 0;
  for (std::string line; std::getline(in, line); ++line_number) {
    if (line_number == 2) first_atom = line.substr(line.find(' '));
    if (line_number == 3) line = line.substr(0, line.find(' ')) + first_atom;
    out << line << '\n';
  }
  TempDir dir;
  testing::write_text(dir.file("bad.extxyz"), out.str());
  auto config = small_config("mu");
  config.set("data", dir.file("bad.extxyz"), "test");
  config.set("split", "200,28,28", "test");
  std::ostringstream log;
  try {
    Trainer::start(config, dir.file("run"), log);
    FAIL() << "expected an error";
  } catch (const data::DataError& error) {
    const std::string what = error.what();
    EXPECT_EQ(what.rfind(dir.file("bad.extxyz") + ":1: ", 0), 0u) << what;
    EXPECT_NE(what.find("atoms 1 (") , std::string::npos) << what;
    EXPECT_NE(what.find("closer than 0.5 A"), std::string::npos) << what;
  }
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
