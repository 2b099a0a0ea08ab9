#include "e3/data/molecule.h"

#include "e3/data/error.h"

namespace e3::data {

double Molecule::target(Target target) const {
  if (!has(target)) {
    throw DataError(source_file, source_line,
                    "missing property: molecule " + id + " (frame " + std::to_string(frame) + ") has no '" +
                        target_name(target) + "'");
  }
  return targets[target_index(target)];
}

void Molecule::set_target(Target target, double value) {
  targets[target_index(target)] = value;
  has_target.set(target_index(target));
}

}  // namespace e3::data
