#include "e3/data/batch.h"

#include <stdexcept>

#include "e3/data/geometry.h"

namespace e3::data {
namespace {

// A tensor of `shape` and `dtype` holding a copy of `values` (float64 on the host).
torch::Tensor floating_tensor(std::vector<double>& values, torch::IntArrayRef shape, torch::Dtype dtype) {
  return torch::from_blob(values.data(), shape, torch::kFloat64).to(dtype, /*non_blocking=*/false, /*copy=*/true);
}

torch::Tensor integer_tensor(std::vector<int64_t>& values) {
  return torch::from_blob(values.data(), {static_cast<int64_t>(values.size())}, torch::kInt64).clone();
}

}  // namespace

Batch collate(const Dataset& dataset, const std::vector<size_t>& indices, double cutoff, torch::Dtype dtype) {
  if (indices.empty()) throw std::invalid_argument("collate: a batch needs at least one molecule");
  if (!(cutoff > 0.0)) {
    throw std::invalid_argument("collate: the cutoff must be positive, got " + std::to_string(cutoff));
  }
  if (dtype != torch::kFloat32 && dtype != torch::kFloat64) {
    throw std::invalid_argument("collate: the floating dtype must be float32 or float64");
  }
  const auto num_molecules = static_cast<int64_t>(indices.size());
  int64_t num_atoms = 0, max_edges = 0;
  for (size_t index : indices) {
    const int64_t atoms = dataset.molecules().at(index).num_atoms();
    num_atoms += atoms;
    max_edges += atoms * (atoms - 1);
  }

  std::vector<double> positions, targets(kNumTargets * indices.size(), 0.0);
  std::vector<int64_t> atomic_numbers, molecule_index, atoms_per_molecule, edge_src, edge_dst;
  std::vector<uint8_t> mask(kNumTargets * indices.size(), 0);
  positions.reserve(3 * num_atoms);
  atomic_numbers.reserve(num_atoms);
  molecule_index.reserve(num_atoms);
  atoms_per_molecule.reserve(indices.size());
  edge_src.reserve(max_edges);
  edge_dst.reserve(max_edges);

  int64_t offset = 0;
  for (int64_t m = 0; m < num_molecules; ++m) {
    const Molecule& molecule = dataset[indices[m]];
    const int64_t atoms = molecule.num_atoms();
    positions.insert(positions.end(), molecule.positions.begin(), molecule.positions.end());
    atomic_numbers.insert(atomic_numbers.end(), molecule.atomic_numbers.begin(), molecule.atomic_numbers.end());
    molecule_index.insert(molecule_index.end(), atoms, m);
    atoms_per_molecule.push_back(atoms);
    for_each_atom_pair(molecule, cutoff, [&](int64_t dst, int64_t src, double, double, double) {
      edge_src.push_back(offset + src);
      edge_dst.push_back(offset + dst);
    });
    for (size_t t = 0; t < kNumTargets; ++t) {
      if (!molecule.has_target.test(t)) continue;
      targets[m * kNumTargets + t] = molecule.targets[t];
      mask[m * kNumTargets + t] = 1;
    }
    offset += atoms;
  }

  Batch batch;
  batch.positions = floating_tensor(positions, {num_atoms, 3}, dtype);
  batch.atomic_numbers = integer_tensor(atomic_numbers);
  batch.molecule_index = integer_tensor(molecule_index);
  batch.atoms_per_molecule = integer_tensor(atoms_per_molecule);
  batch.edge_src = integer_tensor(edge_src);
  batch.edge_dst = integer_tensor(edge_dst);
  batch.targets = floating_tensor(targets, {num_molecules, static_cast<int64_t>(kNumTargets)}, torch::kFloat64);
  batch.target_mask = torch::from_blob(mask.data(), {num_molecules, static_cast<int64_t>(kNumTargets)}, torch::kUInt8)
                          .to(torch::kBool, /*non_blocking=*/false, /*copy=*/true);
  batch.indices = indices;
  return batch;
}

}  // namespace e3::data
