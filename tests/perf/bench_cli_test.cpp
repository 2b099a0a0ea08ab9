// e3cpp bench as a user runs it: the figures it prints, in text and JSON, and its errors.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <iterator>
#include <map>
#include <string>

#include "cli.h"
#include "e3/nn/step_parts.h"
#include "process.h"

namespace e3::testing {
namespace {

// A small network on the embedded sample: seconds, not minutes, reference steps included.
const std::string kSmall = "bench --representation 4x0+2x1 --layers 2 --radial-hidden 8 --batch 4 --steps 2 --threads 1";

TEST(BenchCli, JsonGivesEveryFigureConsistently) {
  const auto result = e3cpp(kSmall + " --reference-steps 1 --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["batch"], 4);
  EXPECT_EQ(json["steps"], 2);
  EXPECT_EQ(json["threads"], 1);
  EXPECT_EQ(json["precision"], "float32");
  EXPECT_EQ(json["targets"], "mu");
  EXPECT_EQ(json["data"], "data/qm9-sample/qm9-sample.extxyz.gz");
  EXPECT_FALSE(json["cpu_model"].get<std::string>().empty());
  EXPECT_FALSE(json["onednn_isa"].get<std::string>().empty());
  for (const char* key : {"train_molecules_per_s", "infer_molecules_per_s", "reference_train_molecules_per_s",
                          "train_gflops", "infer_gflops", "peak_rss_mib", "atoms_per_batch", "edges_per_batch"}) {
    ASSERT_TRUE(json[key].is_number()) << key;
    EXPECT_GT(json[key].get<double>(), 0.0) << key;
  }
  const auto& peak = json["gemm_peak_gflops"];
  EXPECT_GT(peak["float32_libtorch"].get<double>(), 0.0);
  EXPECT_GT(peak["float32_onednn"].get<double>(), 0.0);
  EXPECT_EQ(peak["float32"].get<double>(),
            std::max(peak["float32_libtorch"].get<double>(), peak["float32_onednn"].get<double>()));
  // A training step is forward and backward: more FLOPs than an inference pass.
  const double train_flops = json["flops_per_molecule"]["train"], infer_flops = json["flops_per_molecule"]["infer"];
  EXPECT_GT(infer_flops, 0.0);
  EXPECT_GT(train_flops, 2.0 * infer_flops);
  // The achieved rate is the FLOPs of the molecules per second.
  const double train_rate = json["train_molecules_per_s"].get<double>() * train_flops / 1e9;
  EXPECT_NEAR(json["train_gflops"].get<double>(), train_rate, 1e-9 * train_rate);
  EXPECT_NEAR(json["train_fraction_of_peak"].get<double>(), json["train_gflops"].get<double>() / peak["float32"].get<double>(),
              1e-12);
}

TEST(BenchCli, TextNamesTheCpuThePeakAndTheReference) {
  const auto result = e3cpp(kSmall + " --reference-steps 1");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* part : {"CPU: ", "GEMM peak (1024^3): float32 ", "training: ", "inference: ",
                           "reference convolution, training: ", "peak resident memory: ", "1 threads"}) {
    EXPECT_NE(result.out.find(part), std::string::npos) << part << " in\n" << result.out;
  }
}

TEST(BenchCli, WithoutReferenceStepsItIsNull) {
  const auto result = e3cpp(kSmall + " --reference-steps 0 --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(nlohmann::json::parse(result.out)["reference_train_molecules_per_s"].is_null());
}

// --breakdown: a row per stage of the step and per part of the network, forward and backward
// where the part has both, adding up to the profiled step (less the clock reads between stages).
TEST(BenchCli, BreakdownTimesEveryPartAndAddsUpToTheStep) {
  const auto result = e3cpp(kSmall + " --reference-steps 0 --breakdown --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto breakdown = nlohmann::json::parse(result.out)["breakdown"];
  EXPECT_EQ(breakdown["profiled_steps"], 2);
  const double step = breakdown["step_s"];
  ASSERT_GT(step, 0.0);
  std::map<std::string, nlohmann::json> rows;
  double total = 0, shares = 0;
  for (const auto& row : breakdown["parts"]) {
    rows[row["part"].get<std::string>()] = row;
    EXPECT_GE(row["total_s"].get<double>(), 0.0) << row;
    total += row["total_s"].get<double>();
    shares += row["share"].get<double>();
  }
  EXPECT_LE(total, step * (1 + 1e-9));
  EXPECT_GT(total, 0.95 * step);
  EXPECT_NEAR(shares, total / step, 1e-9);
  for (const char* stage : {"building the batch", "optimizer (zero_grad, step)"}) {
    ASSERT_EQ(rows.count(stage), 1u) << stage;
    EXPECT_TRUE(rows[stage]["forward_s"].is_null()) << stage;
    EXPECT_GT(rows[stage]["total_s"].get<double>(), 0.0) << stage;
  }
  ASSERT_EQ(rows.count("other (residual sums, autograd engine)"), 1u);
  // Every part runs forward; those with weights (or after them) run backward too. The edges'
  // harmonics and radial basis come from positions, which need no gradient in training.
  for (const auto& part : nn::step_parts::kAll) {
    ASSERT_EQ(rows.count(part.label), 1u) << part.label;
    EXPECT_GT(rows[part.label]["forward_s"].get<double>(), 0.0) << part.label;
    if (std::string(part.scope) != nn::step_parts::kEdgeEmbedding.scope) {
      EXPECT_GT(rows[part.label]["backward_s"].get<double>(), 0.0) << part.label;
    }
  }
  EXPECT_EQ(rows.size(), std::size(nn::step_parts::kAll) + 3);

  const auto text = e3cpp(kSmall + " --reference-steps 0 --breakdown");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("where a training step's time goes (2 profiled steps of "), std::string::npos) << text.out;
  for (const auto& part : nn::step_parts::kAll) EXPECT_NE(text.out.find(part.label), std::string::npos) << part.label;
}

TEST(BenchCli, BadArgumentsAreOneLineErrors) {
  expect_one_line_error(e3cpp(kSmall + " --steps 0"), 2, "--steps must be at least 1");
  expect_one_line_error(e3cpp(kSmall + " --reference-steps -1"), 2, "--reference-steps must not be negative");
  expect_one_line_error(e3cpp(kSmall + " --batch 0"), 2, "--batch must be at least 1");
  expect_one_line_error(e3cpp(kSmall + " --precision bf16"), 1, "'precision' must be one of float32, bf16-mixed");
  expect_one_line_error(e3cpp(kSmall + " --batch 4000 --reference-steps 0"), 1, "needs 12000 molecules; the data has 5022");
  expect_one_line_error(e3cpp(kSmall + " --data data/nonexistent.xyz"), 1, "data/nonexistent.xyz");
}

}  // namespace
}  // namespace e3::testing
