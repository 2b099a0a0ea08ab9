#pragma once
// Pieces of atom-line parsing shared by the XYZ readers (internal).

#include <cstdint>
#include <string_view>
#include <vector>

#include "line_reader.h"

namespace e3::data {

/// The atomic number of `species` (a symbol such as "C" or a number such as "6"); a
/// DataError "unknown element" for the reader's current line otherwise.
int64_t species_atomic_number(const LineReader& reader, std::string_view species);

/// True when `tokens` start like an atom line: an element, then three numbers. Used to tell
/// a user that an atom count does not match when atom lines turn up where they should not.
bool looks_like_atom_line(const std::vector<std::string_view>& tokens);

/// Appends the three coordinates tokens[first], tokens[first + 1], tokens[first + 2] to `positions`.
void read_position(const LineReader& reader, const std::vector<std::string_view>& tokens, size_t first,
                   std::vector<double>& positions);

}  // namespace e3::data
