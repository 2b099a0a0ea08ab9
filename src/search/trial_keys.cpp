#include "e3/search/trial_keys.h"

#include <algorithm>
#include <array>
#include <vector>

namespace e3::search {
namespace {

// The multi-target network's keys (issue 9, Figure 3.6, Table 3.3) that e3cpp train is gaining.
// find_trial_key() asks train::config_keys() first, so once the trainer declares these, this
// table is no longer consulted and can go.
const std::vector<train::ConfigKey>& multi_target_keys() {
  using T = train::ConfigType;
  static const std::vector<train::ConfigKey> keys = {
      {"model", T::string, "lnet", "the network: lnet (Figure 3.1) or mlpnet (Figure 3.6)"},
      {"targets", T::string, "", "the QM9 targets to learn: all, or a comma-separated list"},
      {"featurization_layers", T::integer, 2, "convolutions and gated blocks of the featurization"},
      {"output_representation", T::string, "", "features Rs of the output blocks' convolutions"},
      {"output_layers", T::integer, 1, "convolutions and gated blocks of each output block"},
      {"output_mlp_layers", T::integer, 1, "hidden layers of each output block's MLP"},
      {"output_mlp_neurons", T::integer, 100, "neurons per hidden layer of the output MLPs"},
  };
  return keys;
}

}  // namespace

const train::ConfigKey* find_trial_key(const std::string& name) {
  if (const auto* key = train::find_config_key(name)) return key;
  for (const auto& key : multi_target_keys()) {
    if (name == key.name) return &key;
  }
  return nullptr;
}

bool is_study_key(const std::string& name) {
  static const std::array<const char*, 6> keys = {"data", "epochs", "seed", "split", "targets", "target"};
  return std::find(keys.begin(), keys.end(), name) != keys.end();
}

bool is_representation_key(const std::string& name) {
  return name == "representation" || name == "output_representation";
}

}  // namespace e3::search
