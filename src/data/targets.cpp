#include "e3/data/targets.h"

#include <stdexcept>

namespace e3::data {
namespace {

struct TargetInfo {
  Target target;
  const char* name;         // QM9's key
  const char* description;  // Table 2.1
  const char* file_unit;
  const char* thesis_unit;
  double factor;  // file unit -> thesis unit
};

// The one conversion table. Debye, bohr and cal/(mol K) are already the thesis' units
// (a0 is the bohr radius); only Hartree becomes eV.
constexpr std::array<TargetInfo, kNumTargets> kTable = {{
    {Target::mu, "mu", "Dipole moment", "Debye", "D", 1.0},
    {Target::alpha, "alpha", "Isotropic polarizability", "bohr^3", "a0^3", 1.0},
    {Target::homo, "homo", "Energy of HOMO", "Hartree", "eV", kHartreeInEv},
    {Target::lumo, "lumo", "Energy of LUMO", "Hartree", "eV", kHartreeInEv},
    {Target::gap, "gap", "Gap (LUMO - HOMO)", "Hartree", "eV", kHartreeInEv},
    {Target::r2, "r2", "Electronic spatial extent", "bohr^2", "a0^2", 1.0},
    {Target::zpve, "zpve", "Zero point vibrational energy", "Hartree", "eV", kHartreeInEv},
    {Target::U0, "U0", "Internal energy at 0 K", "Hartree", "eV", kHartreeInEv},
    {Target::U, "U", "Internal energy at 298.15 K", "Hartree", "eV", kHartreeInEv},
    {Target::H, "H", "Enthalpy at 298.15 K", "Hartree", "eV", kHartreeInEv},
    {Target::G, "G", "Free energy at 298.15 K", "Hartree", "eV", kHartreeInEv},
    {Target::Cv, "Cv", "Heat capacity at 298.15 K", "cal/(mol K)", "cal/(mol K)", 1.0},
}};

const TargetInfo& info(Target target) { return kTable.at(target_index(target)); }

}  // namespace

const std::array<Target, kNumTargets>& all_targets() {
  static const std::array<Target, kNumTargets> targets = [] {
    std::array<Target, kNumTargets> result{};
    for (size_t i = 0; i < kNumTargets; ++i) result[i] = kTable[i].target;
    return result;
  }();
  return targets;
}

const char* target_name(Target target) { return info(target).name; }

std::optional<Target> find_target(std::string_view name) {
  for (const auto& entry : kTable) {
    if (name == entry.name) return entry.target;
  }
  return std::nullopt;
}

Target parse_target(const std::string& name) {
  if (auto target = find_target(name)) return *target;
  std::string valid;
  for (const auto& entry : kTable) valid += std::string(valid.empty() ? "" : ", ") + entry.name;
  throw std::invalid_argument("unknown target '" + name + "' (valid targets: " + valid + ")");
}

const char* target_description(Target target) { return info(target).description; }

const char* thesis_unit(Target target) { return info(target).thesis_unit; }

const char* file_unit(Target target) { return info(target).file_unit; }

double file_to_thesis_factor(Target target) { return info(target).factor; }

}  // namespace e3::data
