#pragma once
// Every key of a training configuration as a command-line option (--learning-rate 1e-3 for
// the key learning_rate), for the commands that take a configuration (train, bench).

#include <string>
#include <utility>
#include <vector>

#include "args.h"
#include "e3/train/config.h"

namespace e3::cli {

/// The option of a configuration key: its name with '-' for '_'.
std::string flag_name(const std::string& key);

/// Declares an option for every configuration key on `parser`, with the key's help and default.
void add_config_options(ArgParser& parser);

/// The configuration keys given as options, as (key, text) pairs in command-line order.
std::vector<std::pair<std::string, std::string>> config_flags(const ParsedArgs& parsed);

/// --config FILE (when given) with the key options over it; a bad value is a UsageError naming
/// the option. Not validated.
train::TrainConfig config_from_options(const ParsedArgs& parsed);

}  // namespace e3::cli
