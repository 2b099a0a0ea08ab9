#include "atom_lines.h"

#include "e3/data/elements.h"
#include "e3/data/numbers.h"

namespace e3::data {

int64_t species_atomic_number(const LineReader& reader, std::string_view species) {
  const auto z = atomic_number(species);
  if (!z) reader.fail("unknown element " + quoted(species));
  return *z;
}

bool looks_like_atom_line(const std::vector<std::string_view>& tokens) {
  return tokens.size() >= 4 && atomic_number(tokens[0]) && parse_real(tokens[1]) && parse_real(tokens[2]) &&
         parse_real(tokens[3]);
}

void reserve_atoms(const LineReader& reader, int64_t count, size_t columns, Molecule& molecule) {
  const auto room = static_cast<int64_t>((reader.bytes_left() + 1) / (2 * columns));
  if (count < 0 || count > room) return;
  molecule.atomic_numbers.reserve(count);
  molecule.positions.reserve(3 * count);
}

void read_position(const LineReader& reader, const std::vector<std::string_view>& tokens, size_t first,
                   std::vector<double>& positions) {
  static constexpr const char* kAxes[3] = {"coordinate x", "coordinate y", "coordinate z"};
  for (size_t axis = 0; axis < 3; ++axis) positions.push_back(reader.real(tokens[first + axis], kAxes[axis]));
}

}  // namespace e3::data
