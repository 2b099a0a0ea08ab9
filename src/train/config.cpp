#include "e3/train/config.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include <torch/torch.h>

#include "e3/data/atomic_file.h"
#include "e3/data/elements.h"
#include "e3/data/targets.h"
#include "e3/nn/activation.h"
#include "e3/nn/radial_basis.h"
#include "e3/o3/rs.h"
#include "e3/train/readout_choice.h"
#include "e3/train/validation_interval.h"

namespace e3::train {

const char* config_type_name(ConfigType type) {
  switch (type) {
    case ConfigType::integer: return "an integer";
    case ConfigType::number: return "a number";
    case ConfigType::string: return "a string";
    case ConfigType::boolean: return "true or false";
  }
  return "?";
}

namespace {

// The int64 an integer-typed JSON value (see has_config_type) holds, exactly; nullopt outside
// [-2^63, 2^63), where a cast would be undefined behaviour.
std::optional<int64_t> exact_int64(const nlohmann::json& value) {
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<uint64_t>();
    if (unsigned_value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(unsigned_value);
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  const double real = value.get<double>();
  if (!(real >= -0x1p63 && real < 0x1p63)) return std::nullopt;
  return static_cast<int64_t>(real);
}

// `value` for `key`, checked against the key's type, an integer as an exact int64; errors
// name `origin` and the key and quote the value as `shown`.
nlohmann::json checked_value(const ConfigKey& key, const nlohmann::json& value, const std::string& origin,
                             const std::string& shown) {
  const std::string where = origin + ": '" + key.name + "' ";
  if (!has_config_type(value, key.type)) throw ConfigError(where + "must be " + config_type_name(key.type) + ", got " + shown);
  if (key.type != ConfigType::integer) return value;
  const auto integer = exact_int64(value);
  if (!integer) throw ConfigError(where + "is out of range (it must fit a 64-bit integer), got " + shown);
  return *integer;
}

}  // namespace

const std::vector<ConfigKey>& config_keys() {
  using T = ConfigType;
  static const std::vector<ConfigKey> keys = {
      // The model: L·Net (Figure 3.1, Table 3.1) or the multi-target network (Figure 3.6, Table 3.4).
      {"model", T::string, "lnet", "lnet (Figure 3.1) or mlpnet (output blocks with an MLP, Figure 3.6)"},
      {"representation", T::string, "64x0+21x1",
       "Rs of the hidden layers (lnet) or of the featurization (mlpnet) (L1Net: 64x0+21x1)"},
      {"embedding_size", T::integer, 128, "size of the learned embedding of the one-hot atom type"},
      {"layers", T::integer, 5, "lnet: KernelConv layers; all but the last are followed by a gated block"},
      {"featurization_layers", T::integer, 2, "mlpnet: KernelConv + gated blocks of the featurization"},
      {"output_representation", T::string, "5x0+28x1", "mlpnet: Rs of each output block's gated layers"},
      {"output_layers", T::integer, 1, "mlpnet: KernelConv + gated blocks of each output block"},
      {"output_mlp_layers", T::integer, 1, "mlpnet: hidden ReLU layers of each output block's MLP"},
      {"output_mlp_neurons", T::integer, 67, "mlpnet: neurons per layer of the output MLP"},
      {"lf_max", T::integer, -1, "highest filter order l_f; -1: every order the selection rules allow"},
      {"elements", T::string, "H,C,N,O,F", "the elements the model embeds (comma-separated symbols)"},
      {"radial_basis", T::string, "cosine", "radial basis: cosine, gaussian or bessel (2.36)-(2.38)"},
      {"num_bases", T::integer, 50, "number of radial basis functions"},
      {"max_radius", T::number, 10.0, "largest basis center (cosine, gaussian) or cutoff (bessel), Angstrom"},
      {"gaussian_cutoff", T::number, 0.0, "where the gaussian basis is cut; 0: where it falls to 1e-4"},
      {"envelope", T::string, "none",
       "none, or polynomial: the basis times DimeNet's envelope u(d / cutoff), which goes smoothly to 0 at the cutoff"},
      {"envelope_exponent", T::integer, 6, "polynomial envelope: its exponent p (NequIP's and MACE's 6)"},
      {"radial_layers", T::integer, 2, "hidden layers of the radial MLP"},
      {"radial_hidden", T::integer, 128, "neurons per hidden layer of the radial MLP"},
      {"radial_activation", T::string, "silu", "activation of the radial MLP"},
      {"scalar_activation", T::string, "silu", "activation of the scalars in the gated blocks (2.53)"},
      {"gate_activation", T::string, "sigmoid", "activation of the gates (2.54)"},
      {"residual", T::boolean, true, "residual connections between layers of equal representation"},
      {"readout", T::string, "sum",
       "per molecule: sum over atoms (2.60), mean, auto (mean for homo, lumo, gap; sum otherwise), dipole (mu: "
       "|sum of charges x positions + atomic dipoles|) or spatial_extent (r2); per target as TARGET=KIND, e.g. "
       "auto,mu=dipole,r2=spatial_extent"},
      {"avg_num_neighbors", T::number, 0.0, "neighbour count of the kernel normalization; 0: measured on the training set"},
      {"calibrate", T::boolean, true,
       "rescale each layer to unit output second moment on training molecules (false: (B.7) alone)"},
      // The data.
      {"targets", T::string, "", "the QM9 targets to learn: a name (mu), a list (mu,alpha,U0) or all"},
      {"data", T::string, "", "the molecules: a QM9 file, directory, archive, extended XYZ, SMILES, CSV or SDF"},
      {"smiles_column", T::string, "smiles", "CSV data: the column that holds the SMILES"},
      {"target_columns", T::string, "",
       "CSV/SDF data: TARGET=COLUMN,... for targets whose column or SDF property is named otherwise"},
      {"conformers", T::integer, 1, "SMILES/2D SDF data: 3D conformers embedded per molecule (ETKDG + MMFF94)"},
      {"embedding_seed", T::integer, 42, "SMILES/2D SDF data: seed of the 3D embedding"},
      {"optimize", T::string, "force_field", "SMILES/2D SDF data: force_field (MMFF94/UFF) or xtb (then GFN2-xTB)"},
      {"split", T::string, "", "train,val[,test] counts or fractions; empty: 110000,10000 or 80%,10%"},
      {"seed", T::integer, 0, "seed of the split, the initialization and the data order"},
      {"split_seed", T::integer, -1, "seed of the split where it is not `seed` (-1: seed); an ensemble's members share it"},
      // Optimization.
      {"batch_size", T::integer, 16, "molecules per training step"},
      {"learning_rate", T::number, 1e-4, "the (peak) learning rate of Adam"},
      {"weight_decay", T::number, 0.0, "decoupled weight decay (AdamW); 0: Adam"},
      {"loss", T::string, "mse", "mse ((3.2)-(3.3)), l1 or huber, of the normalized errors (t^ - t) / sigma"},
      {"huber_delta", T::number, 1.0, "huber: where the loss turns linear, in units of sigma"},
      {"clip_grad_norm", T::number, 0.0, "clip the gradient's norm to this; 0: no clipping"},
      {"lr_schedule", T::string, "constant",
       "constant (Table 3.1), plateau (reduce on plateau) or cosine (decay to lr_min over the planned run)"},
      {"lr_warmup_steps", T::integer, 0, "linear warm-up of the learning rate over this many steps"},
      {"lr_factor", T::number, 0.5, "plateau: multiply the rate by this when validation stops improving"},
      {"lr_patience", T::integer, 5, "plateau: validations without improvement before the rate drops"},
      {"lr_min", T::number, 0.0, "the lowest learning rate (cosine's floor, plateau's minimum)"},
      {"ema_decay", T::number, 0.0,
       "exponential moving average of the weights for validation, eval and predict; 0: off"},
      // The run.
      {"epochs", T::integer, 55, "epochs to train"},
      {"validate_every", T::string, "epoch", "validate every epoch, every N steps ('500 steps') or minutes ('10 min')"},
      {"patience", T::integer, 0, "stop after this many validations without improvement; 0: never"},
      {"max_minutes", T::number, 0.0, "stop (resumably) after this much training time; 0: no limit"},
      {"checkpoint_minutes", T::number, 5.0, "save the run's state at least this often between validations"},
      {"eval_batch_size", T::integer, 64, "molecules per batch when evaluating"},
      {"dtype", T::string, "float32", "float32 or float64"},
      {"precision", T::string, "float32",
       "float32, or bf16-mixed: the GEMMs of the convolutions and radial MLPs take bfloat16 inputs with float32 "
       "accumulation where the CPU has AVX512_BF16 or AMX (weights, optimizer and reductions stay float32)"},
  };
  return keys;
}

const ConfigKey* find_config_key(const std::string& name) {
  // "target" is the name of "targets" for a run of one target (configurations written
  // before multi-target training, `--target mu`).
  const std::string& canonical = name == "target" ? std::string("targets") : name;
  for (const auto& key : config_keys()) {
    if (canonical == key.name) return &key;
  }
  return nullptr;
}

TrainConfig::TrainConfig() : values_(nlohmann::json::object()) {
  for (const auto& key : config_keys()) values_[key.name] = key.default_value;
}

TrainConfig TrainConfig::from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot read the configuration file");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& error) {
    std::string what = error.what();
    throw ConfigError(path + ": not valid JSON (" + what.substr(what.find(']') + 2) + ")");
  }
  return from_json(json, path);
}

TrainConfig TrainConfig::from_json(const nlohmann::json& json, const std::string& origin) {
  if (!json.is_object()) throw ConfigError(origin + ": a configuration must be a JSON object");
  TrainConfig config;
  for (const auto& [name, value] : json.items()) config.set(name, value, origin);
  return config;
}

void TrainConfig::set(const std::string& name, const nlohmann::json& value, const std::string& origin) {
  const ConfigKey* key = find_config_key(name);
  if (!key) throw ConfigError(origin + ": unknown key '" + name + "' (e3cpp train --help lists them)");
  values_[key->name] = checked_value(*key, value, origin, value.dump());
}

void TrainConfig::set_from_text(const std::string& name, const std::string& text, const std::string& origin) {
  const ConfigKey* key = find_config_key(name);
  if (!key) throw ConfigError(origin + ": unknown key '" + name + "'");
  nlohmann::json value = text;
  char* end = nullptr;
  errno = 0;
  switch (key->type) {
    case ConfigType::integer: {
      const long long parsed = std::strtoll(text.c_str(), &end, 10);
      if (!text.empty() && *end == '\0' && errno == 0) {
        value = static_cast<int64_t>(parsed);
      } else {
        // A whole number in another spelling (1e3), as a JSON file may give it; a number
        // outside int64 (1e20, or digits strtoll rejects with ERANGE) fails the range check.
        errno = 0;
        const double real = std::strtod(text.c_str(), &end);
        if (!text.empty() && *end == '\0' && std::isfinite(real)) value = real;
      }
      break;
    }
    case ConfigType::number: {
      const double parsed = std::strtod(text.c_str(), &end);
      if (!text.empty() && *end == '\0' && errno == 0 && std::isfinite(parsed)) value = parsed;
      break;
    }
    case ConfigType::boolean:
      if (text == "true" || text == "1") value = true;
      if (text == "false" || text == "0") value = false;
      break;
    case ConfigType::string: break;
  }
  values_[key->name] = checked_value(*key, value, origin, "'" + text + "'");
}

const nlohmann::json& TrainConfig::value(const std::string& name, ConfigType type) const {
  const ConfigKey* key = find_config_key(name);
  if (!key || key->type != type) throw std::logic_error("configuration: no " + std::string(config_type_name(type)) + " key " + name);
  return values_.at(name);
}

int64_t TrainConfig::integer(const std::string& name) const { return value(name, ConfigType::integer).get<int64_t>(); }
double TrainConfig::number(const std::string& name) const { return value(name, ConfigType::number).get<double>(); }
data::ReadOptions TrainConfig::read_options() const {
  data::ReadOptions options;
  options.smiles_column = string("smiles_column");
  options.target_columns = data::parse_target_columns(string("target_columns"));
  options.conformers = integer("conformers");
  options.embedding_seed = integer("embedding_seed");
  options.optimize = string("optimize");
  options.threads = torch::get_num_threads();
  return options;
}

const std::string& TrainConfig::string(const std::string& name) const {
  return value(name, ConfigType::string).get_ref<const std::string&>();
}
bool TrainConfig::boolean(const std::string& name) const { return value(name, ConfigType::boolean).get<bool>(); }

void TrainConfig::validate() const {
  auto fail = [](const std::string& name, const std::string& problem) {
    throw ConfigError("configuration: '" + name + "' " + problem);
  };
  auto at_least = [&](const std::string& name, int64_t minimum) {
    if (integer(name) < minimum) fail(name, "must be at least " + std::to_string(minimum));
  };
  auto positive = [&](const std::string& name) {
    if (!(number(name) > 0.0)) fail(name, "must be positive");
  };
  auto not_negative = [&](const std::string& name) {
    if (!(number(name) >= 0.0)) fail(name, "must not be negative");
  };
  // Each parser throws std::invalid_argument with a message that lists the valid values.
  auto parses = [&](const std::string& name, const auto& parse) {
    try {
      parse(string(name));
    } catch (const std::invalid_argument& error) {
      fail(name, std::string("is invalid: ") + error.what());
    }
  };

  auto one_of = [&](const std::string& name, const std::vector<std::string>& valid) {
    if (std::find(valid.begin(), valid.end(), string(name)) != valid.end()) return;
    std::string list;
    for (const auto& v : valid) list += (list.empty() ? "" : ", ") + v;
    fail(name, "must be one of " + list + ", not '" + string(name) + "'");
  };
  // A key of the other model would be ignored: refuse it rather than train something else.
  auto unused = [&](const std::string& name, const std::string& model) {
    if (values_.at(name) != find_config_key(name)->default_value) {
      fail(name, "does not apply to model " + string("model") + " (it is a key of " + model + ")");
    }
  };
  auto representation = [&](const std::string& name) {
    parses(name, [](const std::string& text) {
      if (o3::Rs::parse(text).dim() == 0) throw std::invalid_argument("the representation is empty");
    });
  };

  one_of("model", {"lnet", "mlpnet"});
  representation("representation");
  at_least("embedding_size", 1);
  if (string("model") == "lnet") {
    at_least("layers", 1);
    for (const char* key : {"featurization_layers", "output_representation", "output_layers", "output_mlp_layers",
                            "output_mlp_neurons"}) {
      unused(key, "mlpnet");
    }
  } else {
    unused("layers", "lnet");
    at_least("featurization_layers", 0);
    representation("output_representation");
    at_least("output_layers", 0);
    at_least("output_mlp_layers", 0);
    at_least("output_mlp_neurons", integer("output_mlp_layers") > 0 ? 1 : 0);
  }
  at_least("lf_max", -1);
  parses("elements", [](const std::string& text) { data::parse_element_list(text); });
  parses("radial_basis", [](const std::string& text) { nn::radial_basis_type_from_string(text); });
  at_least("num_bases", 2);
  positive("max_radius");
  not_negative("gaussian_cutoff");
  parses("envelope", [](const std::string& text) { nn::envelope_from_string(text); });
  at_least("envelope_exponent", 1);
  at_least("radial_layers", 0);
  at_least("radial_hidden", 1);
  for (const char* name : {"radial_activation", "scalar_activation", "gate_activation"}) {
    parses(name, [](const std::string& text) { nn::activation_from_string(text); });
  }
  not_negative("avg_num_neighbors");

  if (string("targets").empty()) fail("targets", "is not set: give --targets (e.g. --targets mu, or all)");
  parses("targets", [](const std::string& text) { data::parse_target_list(text); });
  const auto targets = data::parse_target_list(string("targets"));
  parses("readout", [&](const std::string& text) { check_readout_choice(text, targets); });
  if (string("data").empty()) fail("data", "is not set: give --data (a QM9 file, directory or archive)");
  if (string("smiles_column").empty()) fail("smiles_column", "is empty");
  parses("target_columns", [](const std::string& text) { data::parse_target_columns(text); });
  at_least("conformers", 1);
  at_least("embedding_seed", 0);
  if (integer("embedding_seed") > 2147483647) fail("embedding_seed", "must be at most 2147483647 (RDKit's seed is an int)");
  if (string("optimize") != "force_field" && string("optimize") != "xtb") fail("optimize", "must be force_field or xtb");
  at_least("seed", 0);
  at_least("split_seed", -1);

  at_least("batch_size", 1);
  positive("learning_rate");
  not_negative("weight_decay");
  one_of("loss", {"mse", "l1", "huber"});
  positive("huber_delta");
  not_negative("clip_grad_norm");
  one_of("lr_schedule", {"constant", "plateau", "cosine"});
  at_least("lr_warmup_steps", 0);
  if (!(number("lr_factor") > 0.0 && number("lr_factor") < 1.0)) fail("lr_factor", "must be between 0 and 1 (exclusive)");
  at_least("lr_patience", 0);
  not_negative("lr_min");
  if (!(number("lr_min") < number("learning_rate"))) fail("lr_min", "must be below learning_rate");
  if (!(number("ema_decay") >= 0.0 && number("ema_decay") < 1.0)) fail("ema_decay", "must be in [0, 1) (0: off)");

  at_least("epochs", 1);
  parses("validate_every", [](const std::string& text) { parse_validation_interval(text); });
  at_least("patience", 0);
  not_negative("max_minutes");
  positive("checkpoint_minutes");
  at_least("eval_batch_size", 1);
  one_of("dtype", {"float32", "float64"});
  one_of("precision", {"float32", "bf16-mixed"});
  if (string("precision") == "bf16-mixed" && string("dtype") != "float32") {
    fail("precision", "bf16-mixed needs dtype float32");
  }
}

void TrainConfig::save(const std::string& path) const { data::write_file_atomically(path, values_.dump(2) + "\n"); }

}  // namespace e3::train
