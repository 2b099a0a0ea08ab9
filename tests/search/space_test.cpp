// Search spaces: Table 3.3, the (3.4) split of components, sampling by (seed, trial), and bad
// space files.

#include "e3/search/space.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>

#include "e3/search/components.h"
#include "e3/search/study.h"
#include "files.h"

namespace e3::search {
namespace {

// (R0, R1) of "R0x0+R1x1".
std::pair<int64_t, int64_t> multiplicities(const std::string& rs) {
  std::smatch match;
  EXPECT_TRUE(std::regex_match(rs, match, std::regex("([0-9]+)x0\\+([0-9]+)x1"))) << rs;
  return {std::stoll(match[1]), std::stoll(match[2])};
}

TEST(ComponentSplit, ReproducesTable34) {
  // ARandNet: FC 107 = 20x0+29x1, OC 89 = 5x0+28x1; BRandNet: OC 84 = 48x0+12x1, and its FC 94
  // printed as 94x0+1x1 (p = 1: the Y^1 multiplicity kept at 1).
  EXPECT_EQ(split_components(107, 20.0 / 107).rs(), "20x0+29x1");
  EXPECT_EQ(split_components(89, 5.0 / 89).rs(), "5x0+28x1");
  EXPECT_EQ(split_components(84, 48.0 / 84).rs(), "48x0+12x1");
  EXPECT_EQ(split_components(94, 1.0).rs(), "94x0+1x1");
  EXPECT_EQ(split_components(90, 0.0).rs(), "1x0+30x1");
}

TEST(ComponentSplit, DimensionFollowsTheComponents) {
  for (int64_t c = 4; c <= 200; ++c) {
    for (int i = 0; i <= 100; ++i) {
      const double p = i / 100.0;
      const auto split = split_components(c, p);
      EXPECT_EQ(split.scalars, std::max<int64_t>(1, std::llround(p * c)));
      EXPECT_GE(split.vectors, 1);
      const bool raised = std::llround(p * c) == 0 || std::llround((1 - p) * c / 3.0) == 0;
      if (!raised) {
        EXPECT_LE(std::abs(split.dimension() - c), 2) << c << " " << p;
      }
    }
  }
  EXPECT_THROW(split_components(3, 0.5), std::invalid_argument);
  EXPECT_THROW(split_components(10, 1.5), std::invalid_argument);
}

TEST(SearchSpace, Table33SamplesStayInRangeForManySeeds) {
  const auto space = SearchSpace::table_3_3();
  std::map<std::string, int> bases;
  int below_geometric_middle = 0, samples = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    for (int64_t trial = 0; trial < 60; ++trial) {
      const auto c = space.sample(seed, trial);
      ++samples;
      EXPECT_EQ(c["model"], "mlpnet");
      EXPECT_EQ(c["residual"], true);
      auto in = [&](const char* key, double low, double high) {
        const double value = c[key].get<double>();
        EXPECT_TRUE(value >= low && value <= high) << key << " = " << value << " (seed " << seed << ", trial " << trial << ")";
      };
      auto integer_in = [&](const char* key, int64_t low, int64_t high) {
        EXPECT_TRUE(c[key].is_number_integer()) << key;
        in(key, static_cast<double>(low), static_cast<double>(high));
      };
      integer_in("batch_size", 8, 25);
      in("learning_rate", 1e-6, 0.3);
      integer_in("embedding_size", 80, 144);
      integer_in("featurization_layers", 2, 5);
      integer_in("num_bases", 25, 100);
      in("max_radius", 1.2, 30.0);
      integer_in("radial_layers", 1, 3);
      integer_in("radial_hidden", 80, 144);
      integer_in("output_layers", 1, 2);
      integer_in("output_mlp_layers", 1, 3);
      integer_in("output_mlp_neurons", 80, 144);
      // (3.4): FC in 80..144, OC in 64..128, each split between Y^0 and Y^1 (both present);
      // the dimension is within 2 of C, or up to 3 above it when R1 was raised to 1.
      for (const auto& [key, low, high] : {std::tuple{"representation", 80, 144}, std::tuple{"output_representation", 64, 128}}) {
        const auto [r0, r1] = multiplicities(c[key].get<std::string>());
        EXPECT_GE(r0, 1);
        EXPECT_GE(r1, 1);
        EXPECT_GE(r0 + 3 * r1, low - 2) << c[key];
        EXPECT_LE(r0 + 3 * r1, high + 3) << c[key];
      }
      ++bases[c["radial_basis"].get<std::string>()];
      if (c["learning_rate"].get<double>() < std::sqrt(1e-6 * 0.3)) ++below_geometric_middle;
    }
  }
  // Each basis with probability 1/3 (1200 draws: a standard deviation of 16); log-uniform rates
  // fall below the geometric middle of the range half the time.
  ASSERT_EQ(bases.size(), 3u);
  for (const auto& [name, count] : bases) EXPECT_NEAR(count, samples / 3.0, 80) << name;
  EXPECT_NEAR(below_geometric_middle, samples / 2.0, 90);
}

TEST(SearchSpace, DrawsDependOnSeedTrialAndKeyOnly) {
  const auto space = SearchSpace::table_3_3();
  EXPECT_EQ(space.sample(3, 7), space.sample(3, 7));
  EXPECT_NE(space.sample(3, 7), space.sample(3, 8));
  EXPECT_NE(space.sample(3, 7), space.sample(4, 7));
  // Fixing one key leaves every other key's draw as it was.
  auto json = space.to_json();
  json["batch_size"] = 16;
  const auto fixed = SearchSpace::from_json(json, "test").sample(3, 7);
  auto expected = space.sample(3, 7);
  expected["batch_size"] = 16;
  EXPECT_EQ(fixed, expected);
}

TEST(SearchSpace, PrintsWhatItReads) {
  const auto space = SearchSpace::table_3_3();
  const auto again = SearchSpace::from_json(nlohmann::ordered_json::parse(space.to_json().dump()), "printed");
  EXPECT_EQ(again.to_json(), space.to_json());
  EXPECT_EQ(again.sample(1, 2), space.sample(1, 2));
  const std::vector<std::string> searched = {"batch_size", "learning_rate", "embedding_size", "representation",
                                             "featurization_layers", "radial_basis", "num_bases", "max_radius",
                                             "radial_layers", "radial_hidden", "output_representation",
                                             "output_layers", "output_mlp_layers", "output_mlp_neurons"};
  EXPECT_EQ(space.searched_keys(), searched);
}

TEST(StudyDefinition, TrialConfigurationsAddTheStudysKeys) {
  StudyDefinition study;
  study.seed = 5;
  study.space = SearchSpace::table_3_3();
  study.settings.data = "/data/qm9.extxyz";
  study.settings.epochs = 10;
  study.settings.targets = "mu,alpha";
  const auto config = study.trial_config(3);
  EXPECT_EQ(config["data"], "/data/qm9.extxyz");
  EXPECT_EQ(config["epochs"], 10);
  EXPECT_EQ(config["targets"], "mu,alpha");
  EXPECT_EQ(config["seed"], 5);
  EXPECT_FALSE(config.contains("split"));
  auto without = config;
  for (const char* key : {"data", "epochs", "targets", "seed"}) without.erase(key);
  EXPECT_EQ(without, study.space.sample(5, 3));
}

// The error from_file gives for a space file holding `text`.
std::string space_error(const std::string& text) {
  testing::TempDir dir;
  const std::string path = dir.file("space.json");
  testing::write_text(path, text);
  try {
    SearchSpace::from_file(path);
  } catch (const SpaceError& error) {
    const std::string what = error.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind(path + ": ", 0), 0u) << what;
    return what.substr(path.size() + 2);
  }
  ADD_FAILURE() << "no error for " << text;
  return "";
}

TEST(SearchSpace, BadSpacesAreOneLineErrorsNamingFileAndKey) {
  EXPECT_EQ(space_error(R"({"batch_sise": {"int": [8, 25]}})"),
            "unknown key 'batch_sise' (not a key of e3cpp train; e3cpp train --help lists them)");
  EXPECT_EQ(space_error(R"({"batch_size": {"int": [25, 8]}})"), "'batch_size': empty range [25,8] (LO must not exceed HI)");
  EXPECT_EQ(space_error(R"({"max_radius": {"uniform": [3.0, 3.0]}})"), "'max_radius': empty range [3.0,3.0] (LO must be below HI)");
  EXPECT_EQ(space_error(R"({"learning_rate": {"log_uniform": [0, 0.1]}})"), "'learning_rate': log_uniform needs 0 < LO, got [0,0.1]");
  EXPECT_EQ(space_error(R"({"learning_rate": {"normal": [0.1, 0.01]}})"),
            "'learning_rate': unknown distribution 'normal' (int, uniform, log_uniform, choice, components)");
  EXPECT_EQ(space_error(R"({"learning_rate": {"uniform": [0.1]}})"), "'learning_rate': uniform needs a range [LO, HI], got [0.1]");
  EXPECT_EQ(space_error(R"({"batch_size": {"uniform": [8, 25]}})"),
            "'batch_size': uniform draws real numbers, but the key takes an integer");
  EXPECT_EQ(space_error(R"({"radial_basis": {"int": [1, 3]}})"), "'radial_basis': int draws integers, but the key takes a string");
  EXPECT_EQ(space_error(R"({"batch_size": {"int": [8.5, 25]}})"), "'batch_size': int needs integer bounds, got [8.5,25]");
  EXPECT_EQ(space_error(R"({"radial_basis": {"choice": []}})"), "'radial_basis': choice needs a non-empty list of values, got []");
  EXPECT_EQ(space_error(R"({"radial_basis": {"choice": ["cosine", 3]}})"), "'radial_basis': choice: every value must be a string, got 3");
  EXPECT_EQ(space_error(R"({"num_bases": {"components": [8, 16]}})"),
            "'num_bases': components draws a representation (3.4); only representation and output_representation are ones");
  EXPECT_EQ(space_error(R"({"representation": {"components": [2, 16]}})"),
            "'representation': components needs at least 4 (one Y^0 and one Y^1), got [2,16]");
  EXPECT_EQ(space_error(R"({"residual": "yes"})"), "'residual': must be true or false, got \"yes\"");
  EXPECT_EQ(space_error(R"({"batch_size": {"int": [8, 25], "uniform": [1, 2]}})"),
            "'batch_size': a distribution is an object with one member, e.g. {\"int\": [8, 25]}, got {\"int\":[8,25],\"uniform\":[1,2]}");
  EXPECT_EQ(space_error(R"({"epochs": 5})"), "'epochs' is set by the study (e3cpp hpsearch --epochs), not by its space");
  EXPECT_EQ(space_error(R"({"target": "mu"})"), "'target' is set by the study (e3cpp hpsearch --targets), not by its space");
  EXPECT_EQ(space_error(R"([1, 2])"), "a search space must be a JSON object of configuration keys");
  EXPECT_EQ(space_error(R"({"batch_size": )").rfind("not valid JSON (", 0), 0u);
  EXPECT_THROW(SearchSpace::from_file("/nonexistent/space.json"), SpaceError);
}

TEST(SearchSpace, RefusesKeysThatChangeHowTheStudyReadsATrial) {
  // A study reads a trial as one validation per epoch for the study's epochs: other validation
  // intervals, early stopping and time limits would break that reading, fixed or drawn.
  EXPECT_EQ(space_error(R"({"validate_every": "500 steps"})"),
            "'validate_every' may not be set by a search space: a trial validates once per epoch (the study records, "
            "and ASHA compares, validations by epoch)");
  EXPECT_EQ(space_error(R"({"validate_every": {"choice": ["epoch", "2 min"]}})"),
            "'validate_every' may not be set by a search space: a trial validates once per epoch (the study records, "
            "and ASHA compares, validations by epoch)");
  EXPECT_EQ(space_error(R"({"patience": {"int": [2, 5]}})"),
            "'patience' may not be set by a search space: a trial trains the study's --epochs (stopping trials that "
            "fall behind is --prune asha's job)");
  EXPECT_EQ(space_error(R"({"batch_size": {"int": [8, 25]}, "max_minutes": 30})"),
            "'max_minutes' may not be set by a search space: a trial trains the study's --epochs (a time limit would "
            "stop it, to be requeued and resumed in slices)");
  // Keys of the same family that do not change that reading stay searchable.
  EXPECT_NO_THROW(SearchSpace::from_json(nlohmann::ordered_json::parse(R"({"lr_patience": {"int": [2, 5]},
                                                                          "checkpoint_minutes": 1})"),
                                         "space"));
}

}  // namespace
}  // namespace e3::search
