#pragma once
// The molecules a model was trained on, summarized so that prediction can flag the molecules
// it would only extrapolate to: the run's domain.json.
//
// A molecule is outside the domain when two of its atoms nearly coincide (closer than
// data::kMinAtomDistance, the same bound training data is held to), when it has more atoms
// than any training molecule, when it has an element no training molecule has (the model
// embeds it, config "elements", but never learned what it does), or when its total charge (known
// for SMILES and SDF input) is none of the training molecules' — QM9's molecules are neutral,
// and the network sees no charge. Its prediction is still computed, and flagged.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "e3/data/dataset.h"
#include "e3/data/molecule.h"

namespace e3::train {

/// Why a molecule is outside a model's domain; domain_flag_name() gives the word printed.
enum class DomainFlag { coincident_atoms, more_atoms, unseen_element, charged };

/// "coincident_atoms", "more_atoms", "unseen_element" or "charged".
const char* domain_flag_name(DomainFlag flag);

struct TrainingDomain {
  /// The most atoms any training molecule has.
  int64_t max_atoms = 0;
  /// The atomic numbers found in the training molecules, ascending.
  std::vector<int64_t> elements;
  /// The total charges of the training molecules, ascending ({0} for QM9; runs saved before
  /// e3cpp recorded them read as {0}).
  std::vector<int64_t> charges{0};

  /// The domain of the molecules `indices` of `dataset`.
  static TrainingDomain of(const data::Dataset& dataset, const std::vector<size_t>& indices);
  /// Writes `path` (JSON: {"max_atoms", "elements", "charges"}) atomically.
  void save(const std::string& path) const;
  /// Reads a file save() wrote; DataError naming `path` when it is not one.
  static TrainingDomain load(const std::string& path);
};

/// Why `molecule` is outside `domain`, in DomainFlag order; empty when it is inside. Without a
/// domain (a run trained before e3cpp recorded it) only coincident atoms and charges other than
/// 0 are flagged.
std::vector<DomainFlag> domain_flags(const data::Molecule& molecule, const std::optional<TrainingDomain>& domain);

/// One line for a user: what `flag` means for `molecule` against `domain`, e.g. "atoms 1 (C)
/// and 2 (C) are 0 A apart" or "31 atoms, more than any training molecule (29)".
std::string describe_domain_flag(DomainFlag flag, const data::Molecule& molecule,
                                 const std::optional<TrainingDomain>& domain);

}  // namespace e3::train
