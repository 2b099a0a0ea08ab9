#pragma once
// Dataset: the molecules of a data source, with lookup by id.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "e3/data/molecule.h"
#include "e3/data/read_options.h"

namespace e3::data {

class Dataset {
 public:
  Dataset() = default;
  /// Takes the molecules in their order; DataError when two share an id (naming both files
  /// and lines).
  explicit Dataset(std::vector<Molecule> molecules);
  /// The molecules of read_molecules(path, options). Records that give no molecule (a SMILES
  /// that does not parse) are skipped with a warning on standard error naming their lines
  /// (the first ten, then a count), so that one bad line of a large file does not stop training.
  static Dataset read(const std::string& path, const ReadOptions& options = {});

  size_t size() const { return molecules_.size(); }
  bool empty() const { return molecules_.empty(); }
  const Molecule& operator[](size_t index) const { return molecules_[index]; }
  const std::vector<Molecule>& molecules() const { return molecules_; }
  std::vector<Molecule>::const_iterator begin() const { return molecules_.begin(); }
  std::vector<Molecule>::const_iterator end() const { return molecules_.end(); }

  /// The index of the molecule with id `id`; nullopt when there is none.
  std::optional<size_t> find(const std::string& id) const;
  /// 0, 1, ..., size() - 1.
  std::vector<size_t> all_indices() const;
  /// The molecules of `indices` that have `target`, in their order.
  std::vector<size_t> with_target(const std::vector<size_t>& indices, Target target) const;
  /// Checks that every molecule of `indices` has `target`: a DataError naming the file and
  /// line of the first one that does not ("missing property").
  void require(Target target, const std::vector<size_t>& indices) const;

 private:
  std::vector<Molecule> molecules_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace e3::data
