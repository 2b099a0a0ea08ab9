#include "chem_test_files.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <map>
#include <sstream>
#include <stdexcept>

#include "e3/data/elements.h"

namespace e3::chem::testing {

std::string sdf_record(const std::string& title, const std::vector<MolAtom>& atoms, const std::vector<MolBond>& bonds,
                       const std::vector<std::pair<std::string, std::string>>& fields, bool three_d) {
  std::ostringstream out;
  char line[128];
  // The program line: the dimension code in columns 21-22.
  out << title << '\n' << "  e3-test           " << (three_d ? "3D" : "2D") << '\n' << '\n';
  std::snprintf(line, sizeof line, "%3d%3d  0  0  0  0  0  0  0  0999 V2000\n", static_cast<int>(atoms.size()),
                static_cast<int>(bonds.size()));
  out << line;
  for (const auto& atom : atoms) {
    std::snprintf(line, sizeof line, "%10.4f%10.4f%10.4f %-3s 0  0  0  0  0  0  0  0  0  0  0  0\n", atom.x, atom.y,
                  atom.z, atom.symbol.c_str());
    out << line;
  }
  for (const auto& bond : bonds) {
    std::snprintf(line, sizeof line, "%3d%3d%3d  0\n", bond.a + 1, bond.b + 1, bond.order);
    out << line;
  }
  out << "M  END\n";
  for (const auto& [name, value] : fields) out << "> <" << name << ">\n" << value << "\n\n";
  out << "$$$$\n";
  return out.str();
}

double distance(const std::vector<double>& positions, int64_t a, int64_t b) {
  double sum = 0;
  for (int k = 0; k < 3; ++k) {
    const double d = positions[3 * a + k] - positions[3 * b + k];
    sum += d * d;
  }
  return std::sqrt(sum);
}

namespace {

double covalent_radius(int64_t z) {
  static const std::map<int64_t, double> radii = {{1, 0.31}, {6, 0.76}, {7, 0.71}, {8, 0.66}, {9, 0.57}};
  const auto found = radii.find(z);
  return found == radii.end() ? 0.0 : found->second;
}

int single_bond_valence(int64_t z) {
  switch (z) {
    case 1:
    case 9:
      return 1;
    case 6:
      return 4;
    case 7:
      return 3;
    case 8:
      return 2;
    default:
      return -1;
  }
}

}  // namespace

std::vector<MolBond> bonds_by_distance(const data::Molecule& molecule) {
  std::vector<MolBond> bonds;
  for (int64_t a = 0; a < molecule.num_atoms(); ++a) {
    for (int64_t b = a + 1; b < molecule.num_atoms(); ++b) {
      const double limit =
          1.15 * (covalent_radius(molecule.atomic_numbers[a]) + covalent_radius(molecule.atomic_numbers[b]));
      if (distance(molecule.positions, a, b) < limit) bonds.push_back({int(a), int(b), 1});
    }
  }
  return bonds;
}

bool is_saturated(const data::Molecule& molecule, const std::vector<MolBond>& bonds) {
  std::vector<int> count(molecule.atomic_numbers.size(), 0);
  for (const auto& bond : bonds) {
    ++count[bond.a];
    ++count[bond.b];
  }
  for (size_t a = 0; a < count.size(); ++a) {
    if (count[a] != single_bond_valence(molecule.atomic_numbers[a])) return false;
  }
  return true;
}

data::Molecule rounded_to_mol_block(data::Molecule molecule) {
  for (double& x : molecule.positions) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4f", x);
    x = std::stod(text);
  }
  return molecule;
}

std::vector<MolAtom> mol_atoms(const data::Molecule& molecule) {
  std::vector<MolAtom> atoms;
  for (int64_t a = 0; a < molecule.num_atoms(); ++a) {
    atoms.push_back({data::element_symbol(molecule.atomic_numbers[a]), molecule.positions[3 * a],
                     molecule.positions[3 * a + 1], molecule.positions[3 * a + 2]});
  }
  return atoms;
}

std::string xyz_text(const std::vector<data::Molecule>& molecules) {
  std::ostringstream out;
  out << std::setprecision(17);
  for (const auto& m : molecules) {
    out << m.num_atoms() << "\nmolecule " << m.id << "\n";
    for (int64_t a = 0; a < m.num_atoms(); ++a) {
      out << data::element_symbol(m.atomic_numbers[a]) << ' ' << m.positions[3 * a] << ' ' << m.positions[3 * a + 1]
          << ' ' << m.positions[3 * a + 2] << '\n';
    }
  }
  return out.str();
}

}  // namespace e3::chem::testing
