#include "config_options.h"

namespace e3::cli {
namespace {

std::string key_name(const std::string& flag) {
  std::string key = flag;
  for (char& c : key) c = c == '-' ? '_' : c;
  return key;
}

const char* metavar(train::ConfigType type) {
  switch (type) {
    case train::ConfigType::integer: return "N";
    case train::ConfigType::number: return "X";
    case train::ConfigType::string: return "TEXT";
    case train::ConfigType::boolean: return "BOOL";
  }
  return "VALUE";
}

}  // namespace

std::string flag_name(const std::string& key) {
  std::string flag = key;
  for (char& c : flag) c = c == '_' ? '-' : c;
  return flag;
}

void add_config_options(ArgParser& parser) {
  for (const auto& key : train::config_keys()) {
    parser.option(flag_name(key.name), metavar(key.type),
                  std::string(key.help) + " (default: " + key.default_value.dump() + ")");
  }
}

std::vector<std::pair<std::string, std::string>> config_flags(const ParsedArgs& parsed) {
  std::vector<std::pair<std::string, std::string>> flags;
  for (const auto& [name, value] : parsed.given_options()) {
    if (train::find_config_key(key_name(name))) flags.emplace_back(key_name(name), value);
  }
  return flags;
}

train::TrainConfig config_from_options(const ParsedArgs& parsed) {
  auto config = parsed.given("config") ? train::TrainConfig::from_file(parsed.value("config")) : train::TrainConfig();
  for (const auto& [key, text] : config_flags(parsed)) {
    try {
      config.set_from_text(key, text, "--" + flag_name(key));
    } catch (const train::ConfigError& error) {
      throw UsageError(error.what());
    }
  }
  return config;
}

}  // namespace e3::cli
