// `e3cpp tetris` as a user runs it.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "e3/train/tetris_shapes.h"
#include "cli.h"
#include "process.h"

namespace e3::train {
namespace {

using e3::testing::e3cpp;

// A short run: the CLI's plumbing is under test here, not the learning.
const std::string kQuick = " --epochs 3 --test-rotations 2 --threads 1";

TEST(TetrisCli, JsonHasAccuracyPerClass) {
  const auto result = e3cpp("tetris --lmax 1 --json" + kQuick);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  ASSERT_TRUE(json.is_object());
  EXPECT_EQ(json.size(), 3u) << result.out;
  EXPECT_EQ(json["lmax"], 1);
  const double accuracy = json["accuracy"].get<double>();
  EXPECT_GE(accuracy, 0.0);
  EXPECT_LE(accuracy, 1.0);
  ASSERT_EQ(json["per_class"].size(), tetris_shapes().size());
  double sum = 0.0;
  for (const auto& shape : tetris_shapes()) {
    ASSERT_TRUE(json["per_class"].contains(shape.name)) << shape.name;
    sum += json["per_class"][shape.name].get<double>();
  }
  // Every class has the same number of test shapes: the total is the mean over classes.
  EXPECT_NEAR(accuracy, sum / tetris_shapes().size(), 1e-12);
}

TEST(TetrisCli, TextNamesEveryShapeAndTheTotal) {
  const auto result = e3cpp("tetris --lmax 0 --loss cross_entropy --dtype float64" + kQuick);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const auto& shape : tetris_shapes()) {
    EXPECT_NE(result.out.find("\n  " + shape.name + " "), std::string::npos) << shape.name << ": " << result.out;
  }
  EXPECT_NE(result.out.find("\n  total "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("loss cross_entropy"), std::string::npos) << result.out;
}

TEST(TetrisCli, BadArgumentsGiveOneLineErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"tetris", "missing required option --lmax"},
      {"tetris --lmax -1", "--lmax must be at least 0, got -1"},
      {"tetris --lmax 1 --epochs 0", "--epochs must be at least 1, got 0"},
      {"tetris --lmax 1 --threads 0", "--threads must be at least 1"},
      {"tetris --lmax 1 --lr 0", "--lr must be positive"},
      {"tetris --lmax 1 --loss hinge", "unknown loss 'hinge' (valid: mse, cross_entropy)"},
      {"tetris --lmax 1 --dtype float16", "unknown dtype 'float16'"},
  };
  for (const auto& [arguments, message] : cases) {
    const auto result = e3cpp(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments;
    EXPECT_EQ(e3::testing::count_lines(result.err), 1) << arguments << ": " << result.err;
    EXPECT_NE(result.err.find(message), std::string::npos) << arguments << ": " << result.err;
    EXPECT_TRUE(result.out.empty()) << arguments;
  }
}

}  // namespace
}  // namespace e3::train
