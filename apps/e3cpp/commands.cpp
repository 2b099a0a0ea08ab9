#include "commands.h"

namespace e3::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"rs", "inspect a representation (Rs): dimension, layout offsets, both notations", run_rs},
      {"dataset", "describe molecule data (QM9 files, extended XYZ, archives): atoms, elements, targets", run_dataset},
  };
  return table;
}

}  // namespace e3::cli
