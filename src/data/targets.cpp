#include "e3/data/targets.h"

#include <stdexcept>
#include <string>

namespace e3::data {
namespace {

struct TargetInfo {
  Target target;
  const char* name;         // QM9's key
  const char* description;  // Table 2.1
  const char* file_unit;
  const char* thesis_unit;
  double factor;  // file unit -> thesis unit
  const char* report_unit;
  double report_factor;  // thesis unit -> report unit
};

// The one conversion table. Debye, bohr and cal/(mol K) are already the thesis' units
// (a0 is the bohr radius); only Hartree becomes eV, and Table 3.5 reports the energies in meV.
constexpr std::array<TargetInfo, kNumTargets> kTable = {{
    {Target::mu, "mu", "Dipole moment", "Debye", "D", 1.0, "D", 1.0},
    {Target::alpha, "alpha", "Isotropic polarizability", "bohr^3", "a0^3", 1.0, "a0^3", 1.0},
    {Target::homo, "homo", "Energy of HOMO", "Hartree", "eV", kHartreeInEv, "meV", 1000.0},
    {Target::lumo, "lumo", "Energy of LUMO", "Hartree", "eV", kHartreeInEv, "meV", 1000.0},
    {Target::gap, "gap", "Gap (LUMO - HOMO)", "Hartree", "eV", kHartreeInEv, "meV", 1000.0},
    {Target::r2, "r2", "Electronic spatial extent", "bohr^2", "a0^2", 1.0, "a0^2", 1.0},
    {Target::zpve, "zpve", "Zero point vibrational energy", "Hartree", "eV", kHartreeInEv, "meV", 1000.0},
    {Target::U0, "U0", "Internal energy at 0 K", "Hartree", "eV", kHartreeInEv, "meV", 1000.0},
    {Target::U, "U", "Internal energy at 298.15 K", "Hartree", "eV", kHartreeInEv, "meV", 1000.0},
    {Target::H, "H", "Enthalpy at 298.15 K", "Hartree", "eV", kHartreeInEv, "meV", 1000.0},
    {Target::G, "G", "Free energy at 298.15 K", "Hartree", "eV", kHartreeInEv, "meV", 1000.0},
    {Target::Cv, "Cv", "Heat capacity at 298.15 K", "cal/(mol K)", "cal/(mol K)", 1.0, "cal/(mol K)", 1.0},
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

const char* report_unit(Target target) { return info(target).report_unit; }

double thesis_to_report_factor(Target target) { return info(target).report_factor; }

std::vector<Target> parse_target_list(const std::string& text) {
  if (text == "all") return std::vector<Target>(all_targets().begin(), all_targets().end());
  std::vector<Target> targets;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name.empty()) throw std::invalid_argument("empty target name in '" + text + "' (give e.g. mu,alpha or all)");
    const Target target = parse_target(name);
    for (Target seen : targets) {
      if (seen == target) throw std::invalid_argument("target '" + name + "' is given twice");
    }
    targets.push_back(target);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return targets;
}

double file_to_thesis_factor(Target target) { return info(target).factor; }

}  // namespace e3::data
