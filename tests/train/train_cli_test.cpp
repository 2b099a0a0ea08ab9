// e3cpp train, eval and predict as a user runs them.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

#include "e3/data/dataset.h"
#include "e3/data/elements.h"
#include "e3/o3/rotation.h"
#include "files.h"
#include "process.h"
#include "small_run.h"

namespace e3::testing {
namespace {

const std::string kBinary = E3CPP_BINARY;

ProcessResult e3cpp(const std::string& arguments) { return run_process(kBinary + " " + arguments); }

void expect_error(const ProcessResult& result, int exit_code, const std::string& message) {
  EXPECT_EQ(result.exit_code, exit_code) << result.err;
  EXPECT_EQ(count_lines(result.err), 1) << result.err;
  EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
}

// A plain XYZ file of molecules given as (atomic numbers, positions [A, 3]).
std::string xyz_text(const std::vector<std::pair<std::vector<int64_t>, torch::Tensor>>& molecules) {
  std::ostringstream out;
  out << std::setprecision(17);
  for (const auto& [numbers, positions] : molecules) {
    out << numbers.size() << "\nmolecule\n";
    for (size_t a = 0; a < numbers.size(); ++a) {
      out << data::element_symbol(numbers[a]) << ' ' << positions[a][0].item<double>() << ' '
          << positions[a][1].item<double>() << ' ' << positions[a][2].item<double>() << '\n';
    }
  }
  return out.str();
}

// One small run shared by the tests of this file: trained once, through the CLI.
class TrainCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto config = small_config("mu").json();
    config.erase("target");
    config.erase("data");
    write_text(dir_->file("small.json"), config.dump(2));
    train_result_ = new ProcessResult(e3cpp("train --config " + dir_->file("small.json") + " --target mu --data " +
                                            sample_file() + " --out " + run() + " --epochs 1 --threads 2"));
  }
  static void TearDownTestSuite() {
    delete train_result_;
    delete dir_;
  }
  static std::string run() { return dir_->file("run"); }
  static TempDir* dir_;
  static ProcessResult* train_result_;
};
TempDir* TrainCli::dir_ = nullptr;
ProcessResult* TrainCli::train_result_ = nullptr;

TEST_F(TrainCli, TrainsAndReports) {
  ASSERT_EQ(train_result_->exit_code, 0) << train_result_->err;
  EXPECT_NE(train_result_->out.find("epoch 1/1  train loss"), std::string::npos) << train_result_->out;
  EXPECT_NE(train_result_->out.find("finished 1 epochs; best validation MAE"), std::string::npos);
}

TEST_F(TrainCli, EvalReportsJson) {
  const auto result = e3cpp("eval " + run() + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["target"], "mu");
  EXPECT_EQ(json["unit"], "D");
  EXPECT_EQ(json["split"], "test");
  EXPECT_EQ(json["molecules"], 48);
  EXPECT_GT(json["mae"].get<double>(), 0.0);
  EXPECT_GE(json["rmse"].get<double>(), json["mae"].get<double>());
  const auto val = nlohmann::json::parse(e3cpp("eval " + run() + " --split val --json").out);
  EXPECT_EQ(val["molecules"], 48);
}

TEST_F(TrainCli, EvalPredictsExactlyWhatPredictGives) {
  // The run's test molecules, in the split's order, written to a file of their own (extended
  // XYZ keeps the targets, which eval --split all needs; 17 digits keep every coordinate exact).
  const data::Dataset sample = data::Dataset::read(sample_file());
  const auto test_ids = nlohmann::json::parse(read_file(run() + "/split.json"))["test"];
  std::ostringstream text;
  text << std::setprecision(17);
  for (const auto& id : test_ids) {
    const auto& m = sample[*sample.find(id.get<std::string>())];
    text << m.num_atoms() << "\nProperties=species:S:1:pos:R:3 mu=" << m.target(data::Target::mu) << "\n";
    for (int64_t a = 0; a < m.num_atoms(); ++a) {
      text << data::element_symbol(m.atomic_numbers[a]) << ' ' << m.positions[3 * a] << ' ' << m.positions[3 * a + 1]
           << ' ' << m.positions[3 * a + 2] << '\n';
    }
  }
  write_text(dir_->file("test.extxyz"), text.str());

  const auto eval = e3cpp("eval " + run() + " --data " + dir_->file("test.extxyz") + " --split all --predictions " +
                          dir_->file("predictions.csv"));
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto predict = e3cpp("predict " + run() + " " + dir_->file("test.extxyz") + " --json");
  ASSERT_EQ(predict.exit_code, 0) << predict.err;
  const auto predicted = nlohmann::json::parse(predict.out)["predictions"];

  std::istringstream csv(read_file(dir_->file("predictions.csv")));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "id,mu,prediction");
  size_t row = 0;
  while (std::getline(csv, line)) {
    const double evaluated = std::stod(line.substr(line.rfind(',') + 1));
    ASSERT_LT(row, predicted.size());
    EXPECT_EQ(evaluated, predicted[row]["value"].get<double>()) << "molecule " << row;
    ++row;
  }
  EXPECT_EQ(row, test_ids.size());
  // And the same numbers as evaluating the run's own test split of the sample.
  const auto own = e3cpp("eval " + run() + " --json");
  const auto all = e3cpp("eval " + run() + " --data " + dir_->file("test.extxyz") + " --split all --json");
  EXPECT_EQ(nlohmann::json::parse(own.out)["mae"], nlohmann::json::parse(all.out)["mae"]);
}

TEST_F(TrainCli, PredictIsInvariantToRotationAndTranslation) {
  const data::Dataset sample = data::Dataset::read(sample_file());
  const auto& m = sample[17];
  const auto positions = torch::tensor(m.positions, torch::kDouble).reshape({-1, 3});
  auto generator = at::detail::createCPUGenerator(3);
  const auto rotation = o3::random_rotation(1, torch::kDouble, generator)[0];
  const auto moved = torch::matmul(positions, rotation.t()) + torch::tensor({{4.0, -2.5, 7.0}}, torch::kDouble);
  write_text(dir_->file("original.xyz"), xyz_text({{m.atomic_numbers, positions}}));
  write_text(dir_->file("moved.xyz"), xyz_text({{m.atomic_numbers, moved}}));
  const auto result = e3cpp("predict " + run() + " " + dir_->file("original.xyz") + " " + dir_->file("moved.xyz") + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto predictions = nlohmann::json::parse(result.out)["predictions"];
  ASSERT_EQ(predictions.size(), 2u);
  const double a = predictions[0]["value"], b = predictions[1]["value"];
  EXPECT_NEAR(a, b, 1e-5 * std::max(1.0, std::abs(a))) << "float32 network";
  // The plain text output: a header and one line per molecule.
  const auto text = e3cpp("predict " + run() + " " + dir_->file("original.xyz"));
  EXPECT_EQ(text.out.rfind("file\tmolecule\tmu [D]\n", 0), 0u) << text.out;
  EXPECT_EQ(count_lines(text.out), 2);
}

// A shell command that starts `train_arguments` in the background, waits until the run in
// `run` has finished its first epoch (metrics.csv has a line for it), sends `signal` and
// waits for the process: the signal lands while many epochs remain, however fast the machine.
std::string signal_after_first_epoch(const std::string& train_arguments, const std::string& run,
                                     const std::string& signal) {
  return "(" + kBinary + " " + train_arguments + " & pid=$!; while [ \"$(cat " + run +
         "/metrics.csv 2>/dev/null | wc -l)\" -lt 2 ]; do sleep 0.02; done; kill -" + signal + " $pid; wait $pid)";
}

// A run killed outright (SIGKILL, mid-epoch) and resumed ends exactly where an uninterrupted
// run does: same validation record, same test error.
TEST_F(TrainCli, KilledRunResumesExactly) {
  auto config = small_config("mu").json();
  config["epochs"] = 20;
  config["checkpoint_minutes"] = 0.0005;  // a checkpoint every 30 ms
  write_text(dir_->file("kill.json"), config.dump(2));
  const std::string train = "train --threads 2 --config " + dir_->file("kill.json") + " --out ";
  ASSERT_EQ(e3cpp(train + dir_->file("straight")).exit_code, 0);

  const auto killed = run_process(signal_after_first_epoch(train + dir_->file("killed"), dir_->file("killed"), "KILL"));
  EXPECT_EQ(killed.exit_code, 128 + 9);  // the shell's status of a job killed by SIGKILL
  const std::string partial = read_file(dir_->file("killed/metrics.csv"));
  ASSERT_LT(std::count(partial.begin(), partial.end(), '\n'), 21) << "the kill came after the last epoch";
  const auto resumed = e3cpp("train --threads 2 --resume " + dir_->file("killed"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resuming"), std::string::npos);

  // metrics.csv without its timing columns: epoch, train_loss, val_mae, val_rmse per line.
  auto records = [](const std::string& csv) {
    std::vector<std::string> lines;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
      size_t end = 0;
      for (int field = 0; field < 4 && end != std::string::npos; ++field) end = line.find(',', end + (field > 0));
      lines.push_back(line.substr(0, end));
    }
    return lines;
  };
  const auto straight_records = records(read_file(dir_->file("straight/metrics.csv")));
  EXPECT_EQ(straight_records.size(), 21u);
  EXPECT_EQ(records(read_file(dir_->file("killed/metrics.csv"))), straight_records);
  EXPECT_EQ(nlohmann::json::parse(e3cpp("eval " + dir_->file("killed") + " --json").out)["mae"],
            nlohmann::json::parse(e3cpp("eval " + dir_->file("straight") + " --json").out)["mae"]);
}

TEST_F(TrainCli, CtrlCStopsAfterTheBatchAndSaves) {
  auto config = small_config("mu").json();
  config["epochs"] = 20;
  write_text(dir_->file("interrupt.json"), config.dump(2));
  const std::string run = dir_->file("interrupted");
  const auto interrupted = run_process(signal_after_first_epoch(
      "train --threads 2 --config " + dir_->file("interrupt.json") + " --out " + run, run, "INT"));
  EXPECT_EQ(interrupted.exit_code, 130) << interrupted.err;
  EXPECT_NE(interrupted.out.find("interrupted at epoch"), std::string::npos) << interrupted.out;
  EXPECT_NE(interrupted.out.find("Continue with: e3cpp train --resume " + run), std::string::npos);
  const auto resumed = e3cpp("train --threads 2 --resume " + run);
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("finished 20 epochs"), std::string::npos) << resumed.out;
}

TEST_F(TrainCli, BadInputGivesOneLineErrors) {
  write_text(dir_->file("unknown_key.json"), R"({"batch_size": 16, "learnin_rate": 0.001})");
  expect_error(e3cpp("train --config " + dir_->file("unknown_key.json") + " --target mu --data x --out " +
                     dir_->file("r1")),
               1, "unknown_key.json: unknown key 'learnin_rate'");
  write_text(dir_->file("wrong_type.json"), R"({"batch_size": "sixteen"})");
  expect_error(e3cpp("train --config " + dir_->file("wrong_type.json") + " --target mu --data x --out " +
                     dir_->file("r2")),
               1, "wrong_type.json: 'batch_size' must be an integer, got \"sixteen\"");
  expect_error(e3cpp("train --target mu --data " + dir_->file("missing.xyz") + " --out " + dir_->file("r3")), 1,
               "missing.xyz");
  expect_error(e3cpp("train --target energy --data " + sample_file() + " --out " + dir_->file("r4")), 1,
               "'target' is invalid: unknown target 'energy'");
  expect_error(e3cpp("train --target mu --data " + sample_file() + " --out " + dir_->file("r5") + " --batch-size x"),
               2, "--batch-size: 'batch_size' must be an integer, got 'x'");
  expect_error(e3cpp("train --target mu --data " + sample_file()), 2, "give --out RUN");
  expect_error(e3cpp("eval " + dir_->path()), 1, "not an e3cpp run directory");
  expect_error(e3cpp("predict " + dir_->file("nothing") + " x.xyz"), 1, "no such run directory");
  expect_error(e3cpp("eval " + run() + " --split tests"), 2, "--split must be test, val, train or all");
  expect_error(e3cpp("train --resume " + run() + " --learning-rate 0.1"), 1, "only --epochs, --max-minutes");
  expect_error(e3cpp("predict " + run() + " " + dir_->file("missing.xyz")), 1, "missing.xyz");
}

}  // namespace
}  // namespace e3::testing
