#include "e3/data/elements.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace e3::data {
namespace {

// Index z - 1 holds the symbol of atomic number z.
constexpr std::array<const char*, kMaxAtomicNumber> kSymbols = {
    "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si", "P",  "S",  "Cl",
    "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se",
    "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb",
    "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er",
    "Tm", "Yb", "Lu", "Hf", "Ta", "W",  "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At",
    "Rn", "Fr", "Ra", "Ac", "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No",
    "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};

}  // namespace

std::optional<int64_t> atomic_number(std::string_view species) {
  if (species.empty() || species.size() > 3) return std::nullopt;
  if (species[0] >= '0' && species[0] <= '9') {
    int64_t z = 0;
    for (char c : species) {
      if (c < '0' || c > '9') return std::nullopt;
      z = 10 * z + (c - '0');
    }
    if (z < 1 || z > kMaxAtomicNumber) return std::nullopt;
    return z;
  }
  // QM9's elements come first in the table, so the common case returns after a few compares.
  for (int64_t z = 1; z <= kMaxAtomicNumber; ++z) {
    if (species == kSymbols[z - 1]) return z;
  }
  return std::nullopt;
}

std::vector<int64_t> parse_element_list(const std::string& text) {
  std::vector<int64_t> elements;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    std::string symbol = text.substr(start, comma - start);
    symbol.erase(0, symbol.find_first_not_of(' '));
    symbol.erase(symbol.find_last_not_of(' ') + 1);
    const auto z = atomic_number(symbol);
    if (!z) throw std::invalid_argument("unknown element '" + symbol + "' in the list \"" + text + "\"");
    if (std::find(elements.begin(), elements.end(), *z) != elements.end()) {
      throw std::invalid_argument("element " + symbol + " appears twice in the list \"" + text + "\"");
    }
    elements.push_back(*z);
    start = comma + 1;
  }
  return elements;
}

const char* element_symbol(int64_t z) {
  if (z < 1 || z > kMaxAtomicNumber) throw std::out_of_range("no element has atomic number " + std::to_string(z));
  return kSymbols[z - 1];
}

std::string element_label(int64_t z) {
  return z >= 1 && z <= kMaxAtomicNumber ? element_symbol(z) : "Z=" + std::to_string(z);
}

}  // namespace e3::data
