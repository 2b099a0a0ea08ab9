#include "small_run.h"

#include <iomanip>
#include <sstream>

#include "e3/data/dataset.h"
#include "e3/data/elements.h"
#include "files.h"

namespace e3::testing {

std::string small_config_file(const std::string& model) {
  return std::string(E3_SOURCE_DIR) + "/tests/train/files/small-" + model + ".json";
}

namespace {

train::TrainConfig small(const std::string& model, const std::string& targets) {
  auto config = train::TrainConfig::from_file(small_config_file(model));
  config.set("targets", targets, "test");
  config.set("data", sample_file(), "test");
  return config;
}

}  // namespace

train::TrainConfig small_config(const std::string& targets) { return small("lnet", targets); }

train::TrainConfig small_mlpnet_config(const std::string& targets) { return small("mlpnet", targets); }

std::string sample_extxyz(size_t count, const std::string& drop, bool (*dropped)(size_t)) {
  const auto sample = data::Dataset::read(sample_file());
  std::ostringstream text;
  text << std::setprecision(17);
  for (size_t i = 0; i < count; ++i) {
    const auto& m = sample[i];
    text << m.num_atoms() << "\nProperties=species:S:1:pos:R:3 gdb=" << m.id;
    for (auto target : data::all_targets()) {
      const std::string name = data::target_name(target);
      if (name == drop && dropped && dropped(i)) continue;
      text << ' ' << name << '=' << m.target(target) / data::file_to_thesis_factor(target);
    }
    text << '\n';
    for (int64_t a = 0; a < m.num_atoms(); ++a) {
      text << data::element_symbol(m.atomic_numbers[a]) << ' ' << m.positions[3 * a] << ' ' << m.positions[3 * a + 1]
           << ' ' << m.positions[3 * a + 2] << '\n';
    }
  }
  return text.str();
}

}  // namespace e3::testing
