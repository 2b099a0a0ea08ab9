#include "e3/train/training_domain.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "e3/data/atomic_file.h"
#include "e3/data/elements.h"
#include "e3/data/error.h"
#include "e3/data/geometry.h"

namespace e3::train {
namespace {

// The elements of `molecule` that no training molecule has, ascending.
std::vector<int64_t> unseen_elements(const data::Molecule& molecule, const TrainingDomain& domain) {
  std::set<int64_t> unseen;
  for (int64_t z : molecule.atomic_numbers) {
    if (!std::binary_search(domain.elements.begin(), domain.elements.end(), z)) unseen.insert(z);
  }
  return {unseen.begin(), unseen.end()};
}

}  // namespace

const char* domain_flag_name(DomainFlag flag) {
  switch (flag) {
    case DomainFlag::coincident_atoms:
      return "coincident_atoms";
    case DomainFlag::more_atoms:
      return "more_atoms";
    case DomainFlag::unseen_element:
      return "unseen_element";
    case DomainFlag::charged:
      return "charged";
  }
  return "?";
}

TrainingDomain TrainingDomain::of(const data::Dataset& dataset, const std::vector<size_t>& indices) {
  TrainingDomain domain;
  std::set<int64_t> elements, charges;
  for (size_t index : indices) {
    const auto& molecule = dataset[index];
    domain.max_atoms = std::max(domain.max_atoms, molecule.num_atoms());
    elements.insert(molecule.atomic_numbers.begin(), molecule.atomic_numbers.end());
    charges.insert(molecule.charge);
  }
  domain.elements.assign(elements.begin(), elements.end());
  domain.charges.assign(charges.begin(), charges.end());
  return domain;
}

void TrainingDomain::save(const std::string& path) const {
  const nlohmann::json json = {{"max_atoms", max_atoms}, {"elements", elements}, {"charges", charges}};
  data::write_file_atomically(path, json.dump(2) + "\n");
}

TrainingDomain TrainingDomain::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw data::DataError(path, 0, "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  const auto json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  const auto problem = [&](const std::string& what) {
    return data::DataError(path, 0, "not a training domain (" + what + "); it is written by e3cpp train");
  };
  if (!json.is_object()) throw problem("not a JSON object");
  if (!json.contains("max_atoms") || !json["max_atoms"].is_number_integer() || json["max_atoms"].get<int64_t>() < 1) {
    throw problem("'max_atoms' must be a positive integer");
  }
  if (!json.contains("elements") || !json["elements"].is_array()) throw problem("'elements' must be an array");
  TrainingDomain domain;
  domain.max_atoms = json["max_atoms"].get<int64_t>();
  for (const auto& z : json["elements"]) {
    if (!z.is_number_integer() || z.get<int64_t>() < 1 || z.get<int64_t>() > data::kMaxAtomicNumber) {
      throw problem("'elements' must hold atomic numbers 1.." + std::to_string(data::kMaxAtomicNumber));
    }
    domain.elements.push_back(z.get<int64_t>());
  }
  std::sort(domain.elements.begin(), domain.elements.end());
  if (json.contains("charges")) {
    if (!json["charges"].is_array()) throw problem("'charges' must be an array");
    domain.charges.clear();
    for (const auto& charge : json["charges"]) {
      if (!charge.is_number_integer()) throw problem("'charges' must hold integers");
      domain.charges.push_back(charge.get<int64_t>());
    }
    std::sort(domain.charges.begin(), domain.charges.end());
  }
  return domain;
}

std::vector<DomainFlag> domain_flags(const data::Molecule& molecule, const std::optional<TrainingDomain>& domain) {
  std::vector<DomainFlag> flags;
  if (data::has_coincident_atoms(molecule)) flags.push_back(DomainFlag::coincident_atoms);
  if (domain && molecule.num_atoms() > domain->max_atoms) flags.push_back(DomainFlag::more_atoms);
  if (domain && !unseen_elements(molecule, *domain).empty()) flags.push_back(DomainFlag::unseen_element);
  const std::vector<int64_t> charges = domain ? domain->charges : std::vector<int64_t>{0};
  if (!std::binary_search(charges.begin(), charges.end(), molecule.charge)) flags.push_back(DomainFlag::charged);
  return flags;
}

std::string describe_domain_flag(DomainFlag flag, const data::Molecule& molecule,
                                 const std::optional<TrainingDomain>& domain) {
  switch (flag) {
    case DomainFlag::coincident_atoms: {
      std::ostringstream text;
      text << data::describe_atom_pair(molecule, data::closest_atoms(molecule)) << " (closer than "
           << data::kMinAtomDistance << " A)";
      return text.str();
    }
    case DomainFlag::more_atoms:
      return std::to_string(molecule.num_atoms()) + " atoms, more than any training molecule (" +
             (domain ? std::to_string(domain->max_atoms) : std::string("?")) + ")";
    case DomainFlag::unseen_element: {
      const auto unseen = unseen_elements(molecule, domain.value_or(TrainingDomain{}));
      std::string text = unseen.size() == 1 ? "element" : "elements";
      for (size_t i = 0; i < unseen.size(); ++i) text += (i ? ", " : " ") + data::element_label(unseen[i]);
      return text + " in no training molecule";
    }
    case DomainFlag::charged: {
      std::string seen;
      for (int64_t charge : domain ? domain->charges : std::vector<int64_t>{0}) {
        seen += (seen.empty() ? "" : ", ") + std::to_string(charge);
      }
      return "total charge " + std::to_string(molecule.charge) + ", none of the training molecules' (" + seen + ")";
    }
  }
  return "";
}

}  // namespace e3::train
