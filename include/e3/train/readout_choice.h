#pragma once
// Which readout each target's head has: the "readout" key.
//
// The key is a comma-separated list of entries. A bare kind (sum, mean, dipole,
// spatial_extent, or auto) applies to every target not named otherwise; TARGET=KIND sets one
// target's readout: "auto", "sum", "mu=dipole", "mean,mu=dipole,r2=spatial_extent". auto is
// the mean for the orbital energies (homo, lumo, gap, which do not grow with the molecule)
// and the sum (2.60) for the others; a target that no entry names gets the bare kind, or auto
// when there is none. The physical readouts fit one target each: dipole builds a dipole
// moment's norm (mu), spatial_extent an electronic spatial extent (r2).

#include <string>
#include <vector>

#include "e3/data/targets.h"
#include "e3/nn/scale_shift_readout.h"

namespace e3::train {

/// The readout of `target` under the key's value `choice`. std::invalid_argument naming the
/// problem: an unknown kind or target, a target named twice, two bare kinds, or a physical
/// readout given to a target it does not fit (a bare dipole with targets other than mu).
nn::Readout chosen_readout(const std::string& choice, data::Target target);

/// Checks `choice` for the run's `targets`: every entry parses and every target's readout fits
/// it. An entry may name a target the run does not learn (a preset for several target sets,
/// "auto,mu=dipole,r2=spatial_extent"). std::invalid_argument as chosen_readout().
void check_readout_choice(const std::string& choice, const std::vector<data::Target>& targets);

}  // namespace e3::train
