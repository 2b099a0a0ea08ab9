#pragma once
// Atom references of the thesis' Table 2.3 and the reference bias p_m of (2.58).
//
// QM9 gives, for H, C, N, O and F, the energy of the isolated atom (zpve, U0, U, H, G) and
// its heat capacity (Cv). The thesis' QM9 output layer (Section 2.4.2) starts every
// prediction from the sum of these over a molecule's atoms, p_m = sum_a ref(Z_a, C) (2.58),
// and learns only the remainder. Table 2.3 rounds the values to 3 decimals; here they have
// QM9's full precision, in the thesis' units (eV for the energies, converted with the one
// table of targets.h).

#include <array>
#include <cstdint>
#include <vector>

#include "e3/data/elements.h"
#include "e3/data/targets.h"

namespace e3::data {

/// The elements with references: H, C, N, O, F (QM9's elements).
const std::array<int64_t, 5>& reference_elements();

/// True for the targets of Table 2.3: zpve, U0, U, H, G, Cv.
bool has_atom_references(Target target);

/// ref(Z, C) of Section 2.4.2 in the thesis' unit of `target`. 0 for the targets without
/// references (mu, alpha, homo, lumo, gap, r2). For a target with references and an element
/// other than H, C, N, O, F: std::invalid_argument naming the element.
double atom_reference(int64_t atomic_number, Target target);

/// The reference bias p_m = sum over atoms of ref(Z_a, target), (2.58), in the thesis'
/// unit; 0 for targets without references. std::invalid_argument as atom_reference().
double reference_bias(const std::vector<int64_t>& atomic_numbers, Target target);

}  // namespace e3::data
