#include "commands.h"

namespace e3::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"rs", "inspect a representation (Rs): dimension, layout offsets, both notations", run_rs},
  };
  return table;
}

}  // namespace e3::cli
