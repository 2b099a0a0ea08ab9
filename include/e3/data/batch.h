#pragma once
// Batch: several molecules as one graph, the input of a network (Section 2.4's point
// convolutions act on the edges of this graph).
//
// Atoms of the batch's molecules are concatenated in molecule order. The edges are every
// ordered pair (src, dst) of distinct atoms of the same molecule whose distance is strictly
// less than the cutoff (which may be +infinity: every pair), ordered by molecule, then dst,
// then src — so the edges arriving at an atom are contiguous. dst is the atom that receives
// the message (the thesis' A), src the neighbour it comes from (B); the network forms the
// edge vectors r_src - r_dst (the thesis' r_B - r_A) from the positions, so that they are
// differentiable. The reference bias p_m (2.58) is not here: the model computes it from the
// atomic numbers (atom_refs.h).

#include <torch/torch.h>

#include <vector>

#include "e3/data/dataset.h"

namespace e3::data {

struct Batch {
  torch::Tensor positions;           ///< [N, 3] Angstrom, floating (the collate dtype)
  torch::Tensor atomic_numbers;      ///< [N] int64
  torch::Tensor molecule_index;      ///< [N] int64, the molecule (0..M-1) of each atom
  torch::Tensor atoms_per_molecule;  ///< [M] int64
  torch::Tensor edge_src;            ///< [E] int64, atom index into the batch
  torch::Tensor edge_dst;            ///< [E] int64, atom index into the batch
  /// [M, 12] float64 whatever the collate dtype (total energies of ~1e4 eV need float64 to
  /// keep meV precision), Table 2.1 order, thesis units; 0 where the mask is false.
  torch::Tensor targets;
  torch::Tensor target_mask;         ///< [M, 12] bool, whether the molecule has the target
  std::vector<size_t> indices;       ///< the dataset index of each molecule

  int64_t num_molecules() const { return atoms_per_molecule.size(0); }
  int64_t num_atoms() const { return atomic_numbers.size(0); }
  int64_t num_edges() const { return edge_src.size(0); }
};

/// Builds the batch of molecules `indices` of `dataset` (at least one) with edges within
/// `cutoff` Angstrom (> 0, may be +infinity) and floating tensors of `dtype` (torch::kFloat32
/// or torch::kFloat64); std::invalid_argument otherwise. Cheap: well under a millisecond for
/// 16 QM9 molecules.
Batch collate(const Dataset& dataset, const std::vector<size_t>& indices, double cutoff, torch::Dtype dtype);

}  // namespace e3::data
