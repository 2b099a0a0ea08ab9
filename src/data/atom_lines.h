#pragma once
// Pieces of atom-line parsing shared by the XYZ readers (internal).

#include <cstdint>
#include <string_view>
#include <vector>

#include "e3/data/molecule.h"
#include "e3/data/line_reader.h"

namespace e3::data {

/// The atomic number of `species` (a symbol such as "C" or a number such as "6"); a
/// DataError "unknown element" for the reader's current line otherwise.
int64_t species_atomic_number(const LineReader& reader, std::string_view species);

/// True when `tokens` start like an atom line: an element, then three numbers. Used to tell
/// a user that an atom count does not match when atom lines turn up where they should not.
bool looks_like_atom_line(const std::vector<std::string_view>& tokens);

/// Reserves room in `molecule` for `count` atoms when the text after the reader's current line
/// can hold that many atom lines of at least `columns` fields (each takes at least 2 * columns
/// bytes with its separators and newline). A larger count, such as 999999999999, reserves
/// nothing instead of ending in std::bad_alloc: reading the atom lines then fails with the
/// reader's own "truncated file" or "atom count does not match" error, naming the file and line.
void reserve_atoms(const LineReader& reader, int64_t count, size_t columns, Molecule& molecule);

/// Appends the three coordinates tokens[first], tokens[first + 1], tokens[first + 2] to `positions`.
void read_position(const LineReader& reader, const std::vector<std::string_view>& tokens, size_t first,
                   std::vector<double>& positions);

}  // namespace e3::data
