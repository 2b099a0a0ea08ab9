// e3cpp bench as a user runs it: the figures it prints, in text and JSON, and its errors.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "cli.h"
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
