#include "small_run.h"

#include "files.h"

namespace e3::testing {

train::TrainConfig small_config(const std::string& target) {
  train::TrainConfig config;
  const std::string origin = "test";
  config.set("target", target, origin);
  config.set("data", sample_file(), origin);
  config.set("split", "160,48,48", origin);
  config.set("seed", 7, origin);
  config.set("representation", "8x0+4x1", origin);
  config.set("embedding_size", 16, origin);
  config.set("layers", 3, origin);
  config.set("num_bases", 12, origin);
  config.set("max_radius", 6.0, origin);
  config.set("radial_layers", 1, origin);
  config.set("radial_hidden", 16, origin);
  config.set("batch_size", 8, origin);
  config.set("learning_rate", 3e-3, origin);
  config.set("epochs", 3, origin);
  config.set("eval_batch_size", 32, origin);
  return config;
}

}  // namespace e3::testing
