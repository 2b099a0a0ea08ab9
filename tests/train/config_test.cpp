#include "e3/train/config.h"
#include "e3/train/readout_choice.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "e3/train/validation_interval.h"

namespace e3::train {
namespace {

const std::string kSource = E3_SOURCE_DIR;

// The message of the ConfigError `action` throws ("" when none).
template <typename Action>
std::string config_error(Action action) {
  try {
    action();
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(TrainConfig, DefaultsAreTable31) {
  const TrainConfig config;
  EXPECT_EQ(config.integer("batch_size"), 16);
  EXPECT_EQ(config.number("learning_rate"), 1e-4);
  EXPECT_EQ(config.integer("embedding_size"), 128);
  EXPECT_EQ(config.integer("layers"), 5);
  EXPECT_EQ(config.string("radial_basis"), "cosine");
  EXPECT_EQ(config.integer("num_bases"), 50);
  EXPECT_EQ(config.number("max_radius"), 10.0);
  EXPECT_EQ(config.integer("radial_layers"), 2);
  EXPECT_EQ(config.integer("radial_hidden"), 128);
  EXPECT_TRUE(config.boolean("residual"));
}

TEST(TrainConfig, PresetsLoadAndValidate) {
  for (const std::string name : {"l0net", "l1net", "l1net-fast", "l2net", "arandnet", "brandnet"}) {
    for (const std::string targets : {"mu", "all"}) {
      auto config = TrainConfig::from_file(kSource + "/configs/" + name + ".json");
      config.set("targets", targets, "test");
      config.set("data", "somewhere", "test");
      EXPECT_NO_THROW(config.validate()) << name;
    }
  }
  EXPECT_EQ(TrainConfig::from_file(kSource + "/configs/l2net.json").string("representation"), "42x0+14x1+8x2");
  // Table 3.4.
  const auto a = TrainConfig::from_file(kSource + "/configs/arandnet.json");
  EXPECT_EQ(a.string("model"), "mlpnet");
  EXPECT_EQ(a.integer("batch_size"), 16);
  EXPECT_EQ(a.number("learning_rate"), 0.0065);
  EXPECT_EQ(a.integer("embedding_size"), 93);
  EXPECT_EQ(a.string("representation"), "20x0+29x1");
  EXPECT_EQ(a.integer("featurization_layers"), 2);
  EXPECT_EQ(a.string("radial_basis"), "cosine");
  EXPECT_EQ(a.integer("num_bases"), 84);
  EXPECT_EQ(a.number("max_radius"), 11.1);
  EXPECT_EQ(a.integer("radial_layers"), 2);
  EXPECT_EQ(a.integer("radial_hidden"), 101);
  EXPECT_EQ(a.string("output_representation"), "5x0+28x1");
  EXPECT_EQ(a.integer("output_layers"), 1);
  EXPECT_EQ(a.integer("output_mlp_layers"), 1);
  EXPECT_EQ(a.integer("output_mlp_neurons"), 67);
  const auto b = TrainConfig::from_file(kSource + "/configs/brandnet.json");
  EXPECT_EQ(b.integer("batch_size"), 18);
  EXPECT_EQ(b.number("learning_rate"), 0.0194);
  EXPECT_EQ(b.integer("embedding_size"), 80);
  EXPECT_EQ(b.string("representation"), "94x0+1x1");
  EXPECT_EQ(b.integer("featurization_layers"), 4);
  EXPECT_EQ(b.string("radial_basis"), "gaussian");
  EXPECT_EQ(b.integer("num_bases"), 51);
  EXPECT_EQ(b.number("max_radius"), 2.87);
  EXPECT_EQ(b.integer("radial_layers"), 1);
  EXPECT_EQ(b.integer("radial_hidden"), 100);
  EXPECT_EQ(b.string("output_representation"), "48x0+12x1");
  EXPECT_EQ(b.integer("output_layers"), 1);
  EXPECT_EQ(b.integer("output_mlp_layers"), 2);
  EXPECT_EQ(b.integer("output_mlp_neurons"), 51);
}

TEST(TrainConfig, UnknownKeysAndWrongTypesAreErrors) {
  EXPECT_EQ(config_error([] { TrainConfig::from_json({{"batch_sise", 16}}, "my.json"); }),
            "my.json: unknown key 'batch_sise' (e3cpp train --help lists them)");
  EXPECT_EQ(config_error([] { TrainConfig::from_json({{"batch_size", "16"}}, "my.json"); }),
            "my.json: 'batch_size' must be an integer, got \"16\"");
  EXPECT_EQ(config_error([] { TrainConfig::from_json({{"learning_rate", true}}, "my.json"); }),
            "my.json: 'learning_rate' must be a number, got true");
  EXPECT_EQ(config_error([] { TrainConfig::from_json({{"residual", 1}}, "my.json"); }),
            "my.json: 'residual' must be true or false, got 1");
  EXPECT_EQ(config_error([] { TrainConfig::from_json({{"batch_size", 16.5}}, "my.json"); }),
            "my.json: 'batch_size' must be an integer, got 16.5");
  EXPECT_EQ(config_error([] { TrainConfig::from_json(nlohmann::json::array(), "my.json"); }),
            "my.json: a configuration must be a JSON object");
  EXPECT_EQ(config_error([] { TrainConfig::from_file("/no/such/config.json"); }),
            "/no/such/config.json: cannot read the configuration file");
  // Whole-number floats are integers; integers are numbers.
  const auto config = TrainConfig::from_json({{"batch_size", 32.0}, {"learning_rate", 1}}, "my.json");
  EXPECT_EQ(config.integer("batch_size"), 32);
  EXPECT_EQ(config.number("learning_rate"), 1.0);
}

TEST(TrainConfig, CommandLineTextIsParsedByType) {
  TrainConfig config;
  config.set_from_text("batch_size", "8", "--batch-size");
  config.set_from_text("learning_rate", "3e-3", "--learning-rate");
  config.set_from_text("residual", "false", "--residual");
  config.set_from_text("representation", "8x0+2x1", "--representation");
  EXPECT_EQ(config.integer("batch_size"), 8);
  EXPECT_EQ(config.number("learning_rate"), 3e-3);
  EXPECT_FALSE(config.boolean("residual"));
  EXPECT_EQ(config.string("representation"), "8x0+2x1");
  EXPECT_EQ(config_error([&] { config.set_from_text("batch_size", "eight", "--batch-size"); }),
            "--batch-size: 'batch_size' must be an integer, got 'eight'");
  EXPECT_EQ(config_error([&] { config.set_from_text("learning_rate", "nan", "--learning-rate"); }),
            "--learning-rate: 'learning_rate' must be a number, got 'nan'");
}

// An integer key must hold an int64: a value outside it (1e20, 2^64 - 1) is an error naming
// the origin and the key, never a cast with undefined behaviour.
TEST(TrainConfig, IntegersOutsideInt64AreErrors) {
  EXPECT_EQ(config_error([] { TrainConfig::from_json({{"epochs", 1e20}}, "my.json"); }),
            "my.json: 'epochs' is out of range (it must fit a 64-bit integer), got 1e+20");
  EXPECT_EQ(config_error([] { TrainConfig::from_json({{"seed", -1e19}}, "my.json"); }),
            "my.json: 'seed' is out of range (it must fit a 64-bit integer), got -1e+19");
  EXPECT_EQ(config_error([] { TrainConfig::from_json({{"seed", 18446744073709551615ull}}, "my.json"); }),
            "my.json: 'seed' is out of range (it must fit a 64-bit integer), got 18446744073709551615");
  EXPECT_EQ(config_error([] { TrainConfig::from_json({{"seed", 9223372036854775808.0}}, "my.json"); }),
            "my.json: 'seed' is out of range (it must fit a 64-bit integer), got 9.223372036854776e+18");
  TrainConfig config;
  EXPECT_EQ(config_error([&] { config.set_from_text("epochs", "1e20", "--epochs"); }),
            "--epochs: 'epochs' is out of range (it must fit a 64-bit integer), got '1e20'");
  EXPECT_EQ(config_error([&] { config.set_from_text("epochs", "99999999999999999999", "--epochs"); }),
            "--epochs: 'epochs' is out of range (it must fit a 64-bit integer), got '99999999999999999999'");
  // The extremes that fit are kept exactly (not through a double).
  config = TrainConfig::from_json({{"seed", 9223372036854775807ll}, {"epochs", -9223372036854775807ll - 1}}, "my.json");
  EXPECT_EQ(config.integer("seed"), 9223372036854775807ll);
  EXPECT_EQ(config.integer("epochs"), -9223372036854775807ll - 1);
  config.set_from_text("seed", "9223372036854775807", "--seed");
  EXPECT_EQ(config.integer("seed"), 9223372036854775807ll);
  // A whole number in exponent notation is an integer on the command line as in a file.
  config.set_from_text("epochs", "1e3", "--epochs");
  EXPECT_EQ(config.integer("epochs"), 1000);
  EXPECT_EQ(config_error([&] { config.set_from_text("epochs", "1.5", "--epochs"); }),
            "--epochs: 'epochs' must be an integer, got '1.5'");
}

TEST(TrainConfig, ValidationNamesTheKey) {
  auto valid = [] {
    TrainConfig config;
    config.set("targets", "mu", "test");
    config.set("data", "data.xyz", "test");
    return config;
  };
  EXPECT_NO_THROW(valid().validate());
  auto error_for = [&](const std::string& key, const nlohmann::json& value) {
    auto config = valid();
    config.set(key, value, "test");
    return config_error([&] { config.validate(); });
  };
  EXPECT_NE(error_for("targets", "").find("'targets' is not set"), std::string::npos);
  EXPECT_NE(error_for("targets", "energy").find("unknown target"), std::string::npos) << error_for("targets", "energy");
  EXPECT_NE(error_for("targets", "mu,mu").find("target 'mu' is given twice"), std::string::npos);
  EXPECT_NE(error_for("targets", "mu,").find("empty target name"), std::string::npos);
  EXPECT_NE(error_for("model", "schnet").find("'model' must be one of lnet, mlpnet, not 'schnet'"), std::string::npos);
  EXPECT_NE(error_for("output_layers", 3).find("'output_layers' does not apply to model lnet"), std::string::npos);
  EXPECT_NE(error_for("patience", -1).find("'patience' must be at least 0"), std::string::npos);
  EXPECT_NE(error_for("ema_decay", 1.0).find("'ema_decay' must be in [0, 1)"), std::string::npos);
  EXPECT_NE(error_for("ema_decay", -0.1).find("'ema_decay' must be in [0, 1)"), std::string::npos);
  EXPECT_NE(error_for("lr_factor", 1.5).find("'lr_factor' must be between 0 and 1"), std::string::npos);
  EXPECT_NE(error_for("lr_schedule", "step").find("'lr_schedule' must be one of constant, plateau, cosine"),
            std::string::npos);
  EXPECT_NE(error_for("lr_min", 1.0).find("'lr_min' must be below learning_rate"), std::string::npos);
  EXPECT_NE(error_for("loss", "mae").find("'loss' must be one of mse, l1, huber"), std::string::npos);
  EXPECT_NE(error_for("clip_grad_norm", -1.0).find("'clip_grad_norm' must not be negative"), std::string::npos);
  EXPECT_NE(error_for("validate_every", "often").find("'validate_every' is invalid: 'often' is not an interval"),
            std::string::npos);
  EXPECT_NE(error_for("data", "").find("'data' is not set"), std::string::npos);
  EXPECT_NE(error_for("representation", "3x").find("'representation' is invalid: invalid Rs \"3x\""), std::string::npos);
  EXPECT_NE(error_for("radial_basis", "fourier").find("'radial_basis' is invalid"), std::string::npos);
  EXPECT_NE(error_for("scalar_activation", "gelu").find("'scalar_activation' is invalid"), std::string::npos);
  EXPECT_NE(error_for("elements", "H,Xx").find("unknown element 'Xx'"), std::string::npos);
  EXPECT_NE(error_for("batch_size", 0).find("'batch_size' must be at least 1"), std::string::npos);
  EXPECT_NE(error_for("learning_rate", -1.0).find("'learning_rate' must be positive"), std::string::npos);
  EXPECT_NE(error_for("dtype", "float16").find("'dtype' must be one of float32, float64"), std::string::npos);
  EXPECT_NE(error_for("precision", "bf16").find("'precision' must be one of float32, bf16-mixed"), std::string::npos);
  auto double_bf16 = valid();
  double_bf16.set("dtype", "float64", "test");
  double_bf16.set("precision", "bf16-mixed", "test");
  EXPECT_NE(config_error([&] { double_bf16.validate(); }).find("'precision' bf16-mixed needs dtype float32"),
            std::string::npos);
  EXPECT_NE(error_for("readout", "max").find("'readout' is invalid: unknown readout 'max'"), std::string::npos);
  EXPECT_NE(error_for("readout", "mu=spatial_extent").find("builds a spatial extent (r2), not mu"), std::string::npos);
  EXPECT_NE(error_for("envelope", "cosine").find("'envelope' is invalid: unknown envelope 'cosine'"), std::string::npos);
  EXPECT_NE(error_for("envelope_exponent", 0).find("'envelope_exponent' must be at least 1"), std::string::npos);
  // An mlpnet refuses L-Net's key.
  auto mlpnet = valid();
  mlpnet.set("model", "mlpnet", "test");
  EXPECT_NO_THROW(mlpnet.validate());
  mlpnet.set("layers", 3, "test");
  EXPECT_NE(config_error([&] { mlpnet.validate(); }).find("'layers' does not apply to model mlpnet"), std::string::npos);
}

TEST(ReadoutChoice, ABareKindForEveryTargetAndTargetEqualsKindForOne) {
  using data::Target;
  EXPECT_EQ(chosen_readout("sum", Target::gap), nn::Readout::sum);
  EXPECT_EQ(chosen_readout("auto", Target::gap), nn::Readout::mean);
  EXPECT_EQ(chosen_readout("auto", Target::U0), nn::Readout::sum);
  EXPECT_EQ(chosen_readout("mu=dipole", Target::mu), nn::Readout::dipole);
  EXPECT_EQ(chosen_readout("mu=dipole", Target::gap), nn::Readout::mean);  // no bare kind: auto
  EXPECT_EQ(chosen_readout("sum,mu=dipole,r2=spatial_extent", Target::r2), nn::Readout::spatial_extent);
  EXPECT_EQ(chosen_readout("sum,mu=dipole,r2=spatial_extent", Target::gap), nn::Readout::sum);
  EXPECT_EQ(chosen_readout("dipole", Target::mu), nn::Readout::dipole);
  auto message = [](const std::function<void()>& f) {
    try {
      f();
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([] { check_readout_choice("dipole", {Target::mu, Target::alpha}); })
                .find("readout dipole builds a dipole moment (mu), not alpha"),
            std::string::npos);
  EXPECT_NE(message([] { check_readout_choice("r2=dipole", {Target::r2}); }).find("not r2"), std::string::npos);
  EXPECT_NE(message([] { check_readout_choice("sum,mean", {Target::mu}); }).find("two readouts for every target"),
            std::string::npos);
  EXPECT_NE(message([] { check_readout_choice("mu=sum,mu=dipole", {Target::mu}); }).find("two readouts for mu"),
            std::string::npos);
  EXPECT_NE(message([] { check_readout_choice("energy=sum", {Target::mu}); }).find("unknown target"), std::string::npos);
  EXPECT_NO_THROW(check_readout_choice("auto,mu=dipole,r2=spatial_extent", data::parse_target_list("all")));
  EXPECT_NO_THROW(check_readout_choice("auto,mu=dipole,r2=spatial_extent", {Target::U0}));
}

TEST(TrainConfig, TargetIsAnotherNameOfTargets) {
  TrainConfig config;
  config.set_from_text("target", "U0", "--target");
  EXPECT_EQ(config.string("targets"), "U0");
  config.set("target", "mu,alpha", "old.json");
  EXPECT_EQ(config.string("targets"), "mu,alpha");
  EXPECT_FALSE(config.json().contains("target"));
}

TEST(ValidationInterval, EpochStepsOrMinutes) {
  EXPECT_EQ(parse_validation_interval("epoch").unit, ValidationInterval::Unit::epoch);
  for (const std::string text : {"500", "500 steps", "500steps", "1 step"}) {
    const auto interval = parse_validation_interval(text);
    EXPECT_EQ(interval.unit, ValidationInterval::Unit::steps) << text;
  }
  EXPECT_EQ(parse_validation_interval("500 steps").every, 500.0);
  const auto minutes = parse_validation_interval("2.5 min");
  EXPECT_EQ(minutes.unit, ValidationInterval::Unit::minutes);
  EXPECT_EQ(minutes.every, 2.5);
  EXPECT_EQ(parse_validation_interval("10 minutes").every, 10.0);
  for (const std::string bad : {"", "0", "-3 steps", "2.5 steps", "5 hours", "steps", "nan min"}) {
    EXPECT_THROW(parse_validation_interval(bad), std::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace e3::train
