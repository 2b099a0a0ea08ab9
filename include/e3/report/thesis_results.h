#pragma once
// The test MAEs of the thesis' Table 3.5, as published (on the full QM9, with the thesis'
// split): L0Net and L1Net (Section 3.1, 55 epochs), ARandNet and BRandNet (Section 3.2, 100
// epochs), and the other models the thesis quotes (schnetpack, Cormorant, DimeNet). In Table
// 3.5's units: D, a0^3, meV for the energies, a0^2, cal/(mol K) (data::report_unit()).

#include <optional>
#include <string>
#include <vector>

#include "e3/data/targets.h"

namespace e3::report {

/// The models of Table 3.5, in its column order.
const std::vector<std::string>& thesis_models();

/// The MAE Table 3.5 gives `model` on `target`, in data::report_unit(target); nullopt for a
/// model that is not a column of the table.
std::optional<double> thesis_mae(const std::string& model, data::Target target);

}  // namespace e3::report
