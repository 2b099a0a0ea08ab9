#include "e3/search/space.h"

#include <cmath>
#include <fstream>
#include <map>
#include <random>

#include "e3/data/random.h"
#include "e3/search/components.h"
#include "e3/search/trial_keys.h"

namespace e3::search {
namespace {

using Kind = Parameter::Kind;

// Table 3.3, with the radial basis drawn from the three bases with probability 1/3 each and
// the two representations divided by (3.4) (Section 3.2.1).
constexpr const char* kTable33 = R"({
  "model": "mlpnet",
  "batch_size": {"int": [8, 25]},
  "learning_rate": {"log_uniform": [1e-6, 0.3]},
  "embedding_size": {"int": [80, 144]},
  "representation": {"components": [80, 144]},
  "featurization_layers": {"int": [2, 5]},
  "residual": true,
  "radial_basis": {"choice": ["cosine", "gaussian", "bessel"]},
  "num_bases": {"int": [25, 100]},
  "max_radius": {"uniform": [1.2, 30.0]},
  "radial_layers": {"int": [1, 3]},
  "radial_hidden": {"int": [80, 144]},
  "output_representation": {"components": [64, 128]},
  "output_layers": {"int": [1, 2]},
  "output_mlp_layers": {"int": [1, 3]},
  "output_mlp_neurons": {"int": [80, 144]}
})";

const std::map<std::string, Kind>& distributions() {
  static const std::map<std::string, Kind> kinds = {{"int", Kind::integer},         {"uniform", Kind::uniform},
                                                    {"log_uniform", Kind::log_uniform}, {"choice", Kind::choice},
                                                    {"components", Kind::components}};
  return kinds;
}

const char* distribution_name(Kind kind) {
  for (const auto& [name, k] : distributions()) {
    if (k == kind) return name.c_str();
  }
  return "fixed";
}

// The option of e3cpp hpsearch that sets a study key.
std::string study_option(const std::string& key) { return key == "target" ? "targets" : key; }

// A stream of the generator for key `key` of trial `trial` (FNV-1a of the name).
std::mt19937_64 key_engine(uint64_t seed, int64_t trial, const std::string& key) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : key) hash = (hash ^ c) * 1099511628211ull;
  return std::mt19937_64(data::derive_seed(data::derive_seed(seed, static_cast<uint64_t>(trial)), hash));
}

// Uniform on [0, 1) from the top 53 bits (the same on every platform, unlike std distributions).
double uniform01(std::mt19937_64& engine) { return static_cast<double>(engine() >> 11) * 0x1.0p-53; }

int64_t uniform_integer(int64_t low, int64_t high, std::mt19937_64& engine) {
  return low + static_cast<int64_t>(data::uniform_below(static_cast<uint64_t>(high - low) + 1, engine));
}

class ParameterParser {
 public:
  ParameterParser(const std::string& origin, const std::string& key) : origin_(origin), key_(key) {}

  [[noreturn]] void fail(const std::string& problem) const {
    throw SpaceError(origin_ + ": '" + key_ + "': " + problem);
  }

  Parameter parse(const nlohmann::ordered_json& spec, const train::ConfigKey& config_key) const {
    Parameter parameter;
    parameter.key = key_;
    if (!spec.is_object()) {
      if (!train::has_config_type(spec, config_key.type)) fail(std::string("must be ") + train::config_type_name(config_key.type) + ", got " + spec.dump());
      parameter.value = config_key.type == train::ConfigType::integer ? nlohmann::json(spec.get<int64_t>())
                                                                      : nlohmann::json::parse(spec.dump());
      return parameter;
    }
    if (spec.size() != 1) fail("a distribution is an object with one member, e.g. {\"int\": [8, 25]}, got " + spec.dump());
    const std::string name = spec.begin().key();
    const auto found = distributions().find(name);
    if (found == distributions().end()) {
      fail("unknown distribution '" + name + "' (int, uniform, log_uniform, choice, components)");
    }
    parameter.kind = found->second;
    const auto& argument = spec.begin().value();
    if (parameter.kind == Kind::choice) {
      parse_choice(argument, config_key, parameter);
      return parameter;
    }
    parse_range(argument, parameter);
    switch (parameter.kind) {
      case Kind::integer:
      case Kind::components:
        if (parameter.kind == Kind::components && !is_representation_key(key_)) {
          fail("components draws a representation (3.4); only representation and output_representation are ones");
        }
        if (parameter.kind == Kind::integer && config_key.type != train::ConfigType::integer) {
          fail(std::string("int draws integers, but the key takes ") + train::config_type_name(config_key.type));
        }
        if (!train::has_config_type(argument[0], train::ConfigType::integer) || !train::has_config_type(argument[1], train::ConfigType::integer)) fail(name + " needs integer bounds, got " + argument.dump());
        if (parameter.low > parameter.high) fail("empty range " + argument.dump() + " (LO must not exceed HI)");
        if (parameter.kind == Kind::components && parameter.low < 4) {
          fail("components needs at least 4 (one Y^0 and one Y^1), got " + argument.dump());
        }
        break;
      case Kind::uniform:
      case Kind::log_uniform:
        if (config_key.type != train::ConfigType::number) {
          fail(name + " draws real numbers, but the key takes " + train::config_type_name(config_key.type));
        }
        if (!(parameter.low < parameter.high)) fail("empty range " + argument.dump() + " (LO must be below HI)");
        if (parameter.kind == Kind::log_uniform && !(parameter.low > 0.0)) {
          fail("log_uniform needs 0 < LO, got " + argument.dump());
        }
        break;
      case Kind::fixed:
      case Kind::choice: break;
    }
    return parameter;
  }

 private:
  void parse_range(const nlohmann::ordered_json& argument, Parameter& parameter) const {
    const std::string name = distribution_name(parameter.kind);
    if (!argument.is_array() || argument.size() != 2 || !argument[0].is_number() || !argument[1].is_number()) {
      fail(name + " needs a range [LO, HI], got " + argument.dump());
    }
    parameter.low = argument[0].get<double>();
    parameter.high = argument[1].get<double>();
    if (!std::isfinite(parameter.low) || !std::isfinite(parameter.high)) fail(name + " needs finite bounds");
  }

  void parse_choice(const nlohmann::ordered_json& argument, const train::ConfigKey& config_key,
                    Parameter& parameter) const {
    if (!argument.is_array() || argument.empty()) fail("choice needs a non-empty list of values, got " + argument.dump());
    for (const auto& value : argument) {
      if (!train::has_config_type(value, config_key.type)) {
        fail(std::string("choice: every value must be ") + train::config_type_name(config_key.type) + ", got " + value.dump());
      }
      parameter.values.push_back(nlohmann::json::parse(value.dump()));
    }
  }

  const std::string& origin_;
  const std::string& key_;
};

}  // namespace

SearchSpace SearchSpace::table_3_3() { return from_json(nlohmann::ordered_json::parse(kTable33), "Table 3.3"); }

SearchSpace SearchSpace::from_json(const nlohmann::ordered_json& json, const std::string& origin) {
  if (!json.is_object()) throw SpaceError(origin + ": a search space must be a JSON object of configuration keys");
  SearchSpace space;
  for (const auto& [key, spec] : json.items()) {
    if (is_study_key(key)) {
      throw SpaceError(origin + ": '" + key + "' is set by the study (e3cpp hpsearch --" + study_option(key) +
                       "), not by its space");
    }
    if (const char* reason = fixed_by_the_study(key)) {
      throw SpaceError(origin + ": '" + key + "' may not be set by a search space: " + reason);
    }
    const auto* config_key = train::find_config_key(key);
    if (!config_key) {
      throw SpaceError(origin + ": unknown key '" + key + "' (not a key of e3cpp train; e3cpp train --help lists them)");
    }
    space.parameters_.push_back(ParameterParser(origin, key).parse(spec, *config_key));
  }
  return space;
}

SearchSpace SearchSpace::from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SpaceError(path + ": cannot read the search space file");
  nlohmann::ordered_json json;
  try {
    json = nlohmann::ordered_json::parse(in);
  } catch (const nlohmann::json::parse_error& error) {
    const std::string what = error.what();
    throw SpaceError(path + ": not valid JSON (" + what.substr(what.find(']') + 2) + ")");
  }
  return from_json(json, path);
}

std::vector<std::string> SearchSpace::searched_keys() const {
  std::vector<std::string> keys;
  for (const auto& parameter : parameters_) {
    if (parameter.kind != Kind::fixed) keys.push_back(parameter.key);
  }
  return keys;
}

nlohmann::ordered_json SearchSpace::to_json() const {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (const auto& p : parameters_) {
    const std::string name = distribution_name(p.kind);
    switch (p.kind) {
      case Kind::fixed: json[p.key] = nlohmann::ordered_json::parse(p.value.dump()); break;
      case Kind::integer:
      case Kind::components:
        json[p.key] = {{name, {std::llround(p.low), std::llround(p.high)}}};
        break;
      case Kind::uniform:
      case Kind::log_uniform: json[p.key] = {{name, {p.low, p.high}}}; break;
      case Kind::choice: {
        auto values = nlohmann::ordered_json::array();
        for (const auto& value : p.values) values.push_back(nlohmann::ordered_json::parse(value.dump()));
        json[p.key] = {{name, values}};
        break;
      }
    }
  }
  return json;
}

nlohmann::json SearchSpace::sample(uint64_t seed, int64_t trial) const {
  nlohmann::json config = nlohmann::json::object();
  for (const auto& p : parameters_) {
    auto engine = key_engine(seed, trial, p.key);
    switch (p.kind) {
      case Kind::fixed: config[p.key] = p.value; break;
      case Kind::integer: config[p.key] = uniform_integer(std::llround(p.low), std::llround(p.high), engine); break;
      case Kind::uniform: config[p.key] = p.low + uniform01(engine) * (p.high - p.low); break;
      case Kind::log_uniform:
        config[p.key] = std::exp(std::log(p.low) + uniform01(engine) * (std::log(p.high) - std::log(p.low)));
        break;
      case Kind::choice: config[p.key] = p.values[data::uniform_below(p.values.size(), engine)]; break;
      case Kind::components: {
        const int64_t components = uniform_integer(std::llround(p.low), std::llround(p.high), engine);
        config[p.key] = split_components(components, uniform01(engine)).rs();
        break;
      }
    }
  }
  return config;
}

}  // namespace e3::search
