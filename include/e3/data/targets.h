#pragma once
// The 12 QM9 regression targets of the thesis' Table 2.1, their units, and the one
// conversion table from the units of QM9's files to the thesis' units.
//
// QM9's files (the original per-molecule files and the extended-XYZ copy alike) hold
// mu in Debye, alpha in bohr^3, homo/lumo/gap/zpve/U0/U/H/G in Hartree, r2 in bohr^2 and
// Cv in cal/(mol K). The thesis trains and reports in D, a0^3, eV, a0^2 and cal/(mol K):
// only the Hartree energies change, by the CODATA 2018 factor. Readers convert on reading
// with file_to_thesis_factor(); no other place in the library converts units.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace e3::data {

/// The targets in the order of Table 2.1 (also the column order of Batch::targets).
enum class Target { mu, alpha, homo, lumo, gap, r2, zpve, U0, U, H, G, Cv };

/// Number of targets (the length of Table 2.1).
inline constexpr size_t kNumTargets = 12;

/// Hartree in eV, CODATA 2018 (the thesis reports energies in eV).
inline constexpr double kHartreeInEv = 27.211386245988;

/// Every target, in the order of Table 2.1.
const std::array<Target, kNumTargets>& all_targets();

/// The target's column in Table 2.1 (0 for mu ... 11 for Cv).
inline size_t target_index(Target target) { return static_cast<size_t>(target); }

/// QM9's key for the target, as in the extended-XYZ files: "mu", "alpha", ..., "U0", ..., "Cv".
const char* target_name(Target target);

/// The target named `name` (its QM9 key, exact case); nullopt when no target has that name.
std::optional<Target> find_target(std::string_view name);

/// The target named `name`; std::invalid_argument listing the valid names when none is.
Target parse_target(const std::string& name);

/// Table 2.1's description, e.g. "Internal energy at 0 K".
const char* target_description(Target target);

/// The thesis' unit (Table 2.1): "D", "a0^3", "eV", "a0^2" or "cal/(mol K)".
const char* thesis_unit(Target target);

/// The unit QM9's files use: "Debye", "bohr^3", "Hartree", "bohr^2" or "cal/(mol K)".
const char* file_unit(Target target);

/// Multiply a value read from a QM9 file by this to get it in the thesis' unit.
double file_to_thesis_factor(Target target);

/// The unit of Table 3.5, which compares models: the thesis' unit, but meV for the energies
/// (homo, lumo, gap, zpve, U0, U, H, G).
const char* report_unit(Target target);

/// Multiply a value in the thesis' unit by this to get it in report_unit().
double thesis_to_report_factor(Target target);

/// The targets of a comma-separated list of names ("mu,alpha,U0") or of "all" (Table 2.1's
/// order); std::invalid_argument naming an unknown or repeated name, or an empty one.
std::vector<Target> parse_target_list(const std::string& text);

}  // namespace e3::data
