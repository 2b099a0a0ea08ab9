#include "e3/data/elements.h"

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

const char* element_symbol(int64_t z) {
  if (z < 1 || z > kMaxAtomicNumber) throw std::out_of_range("no element has atomic number " + std::to_string(z));
  return kSymbols[z - 1];
}

}  // namespace e3::data
