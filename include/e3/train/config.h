#pragma once
// The configuration of a training run: every hyperparameter of the model and of training.
//
// A configuration is a flat JSON object. Its keys, their types, defaults and meanings are
// the schema below (config_keys()); a preset file (configs/l1net.json, ...) sets some of
// them, and every key can be overridden on the command line as --key-with-dashes VALUE.
// Precedence: defaults < file < command line. A run stores its resolved configuration, so
// it can be resumed, evaluated and reproduced exactly.

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "e3/data/read_options.h"

namespace e3::train {

/// A bad configuration: an unknown key, a value of the wrong type or out of range. what()
/// is one line naming where the value came from (a file, a command-line flag) and the key.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ConfigType { integer, number, string, boolean };

/// One key of the schema.
struct ConfigKey {
  const char* name;
  ConfigType type;
  nlohmann::json default_value;
  const char* help;
};

/// "an integer", "a number", "a string" or "true or false", for messages.
const char* config_type_name(ConfigType type);

/// Whether a JSON value (nlohmann::json or ordered_json) is of `type` as configurations read
/// it: a float with an integral value is an integer too.
template <typename Json>
bool has_config_type(const Json& value, ConfigType type) {
  switch (type) {
    case ConfigType::integer:
      return value.is_number_integer() ||
             (value.is_number_float() && std::floor(value.template get<double>()) == value.template get<double>());
    case ConfigType::number: return value.is_number();
    case ConfigType::string: return value.is_string();
    case ConfigType::boolean: return value.is_boolean();
  }
  return false;
}

/// Every key a configuration may hold, model keys first.
const std::vector<ConfigKey>& config_keys();

/// The key named `name`; nullptr when the schema has none.
const ConfigKey* find_config_key(const std::string& name);

class TrainConfig {
 public:
  /// Every key at its default.
  TrainConfig();

  /// The defaults overridden by the keys of the JSON file at `path`. ConfigError naming the
  /// file for unreadable or malformed JSON, unknown keys and wrong types.
  static TrainConfig from_file(const std::string& path);
  /// A configuration from a JSON object; `origin` names it in errors.
  static TrainConfig from_json(const nlohmann::json& json, const std::string& origin);

  /// Sets a key from a JSON value, checking name and type; `origin` names it in errors.
  void set(const std::string& name, const nlohmann::json& value, const std::string& origin);
  /// Sets a key from command-line text, parsed according to the key's type.
  void set_from_text(const std::string& name, const std::string& text, const std::string& origin);

  int64_t integer(const std::string& name) const;
  double number(const std::string& name) const;
  const std::string& string(const std::string& name) const;
  bool boolean(const std::string& name) const;
  /// How the data's SMILES, CSV or SDF records become molecules (smiles_column, target_columns,
  /// conformers, embedding_seed, optimize), embedded on LibTorch's intra-op thread count.
  data::ReadOptions read_options() const;

  /// Checks the values themselves (ranges, names of targets, bases and activations, the
  /// representation); ConfigError naming the key. Call before building a model from it.
  void validate() const;

  const nlohmann::json& json() const { return values_; }
  /// Writes the configuration as indented JSON, atomically.
  void save(const std::string& path) const;

 private:
  const nlohmann::json& value(const std::string& name, ConfigType type) const;
  nlohmann::json values_;
};

}  // namespace e3::train
