#pragma once
// Chemical elements: symbol <-> atomic number, for reading XYZ files and printing counts.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace e3::data {

/// Largest atomic number known (oganesson).
inline constexpr int64_t kMaxAtomicNumber = 118;

/// The atomic number of an element symbol ("H", "C", "Cl"; exact case), or of a species
/// written as its atomic number ("6"); nullopt for anything else.
std::optional<int64_t> atomic_number(std::string_view species);

/// The symbol of atomic number z (1..kMaxAtomicNumber); std::out_of_range otherwise.
const char* element_symbol(int64_t z);

/// The symbol of z for a message, or "Z=<z>" when no element has that atomic number.
std::string element_label(int64_t z);

/// The atomic numbers of a comma-separated list of symbols, e.g. "H,C,N,O,F" (spaces
/// allowed), in the order given. std::invalid_argument naming the entry for an unknown
/// symbol, a repeated one, or an empty list.
std::vector<int64_t> parse_element_list(const std::string& text);

}  // namespace e3::data
