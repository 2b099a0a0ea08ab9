#pragma once
// Seeded train/validation/test splits, and their files.
//
// A split is drawn by a platform-independent Fisher–Yates shuffle (random.h) of the
// dataset's indices seeded with `seed`: the first `train` of the permutation are the
// training set, the next `val` the validation set, the next `test` the test set. The same
// data in the same order (read_molecules' canonical order) and the same seed give the same
// split on every machine. The split is written with the molecule ids, so a run can be
// reproduced and re-evaluated exactly, even against a dataset read from another source:
//
//   {"seed": 42, "train": ["1", "5", ...], "val": [...], "test": [...]}

#include <cstdint>
#include <string>
#include <vector>

#include "e3/data/dataset.h"

namespace e3::data {

/// Number of molecules in each part.
struct SplitSizes {
  size_t train = 0, val = 0, test = 0;
};

/// The default sizes for a dataset of `num_molecules`: 110,000 / 10,000 / rest when there are
/// more than 120,000 molecules, SchNet's convention for QM9 (the thesis says it splits "like in
/// the SchNet paper" but prints the counts as 10900 / 1000, Section 3.1, a typo); else 80% /
/// 10% / the rest, this project's choice for smaller data (the 100k reconstruction, the
/// embedded sample), not the thesis'.
SplitSizes default_split_sizes(size_t num_molecules);

/// Sizes from fractions of `num_molecules`: train and val are rounded to the nearest count;
/// test is the rest when the three fractions add up to 1, else rounded too.
/// std::invalid_argument when a fraction is outside [0, 1] or they add up to more than 1.
SplitSizes split_sizes_from_fractions(size_t num_molecules, double train, double val, double test);

/// Sizes from text: counts "110000,10000[,N]" or fractions "0.8,0.1[,0.1]" (a '.' in any
/// field makes them fractions); a missing test part is the rest. std::invalid_argument naming
/// the text when it is malformed or asks for more than `num_molecules`.
SplitSizes parse_split_sizes(const std::string& text, size_t num_molecules);

/// A split: dataset indices of each part, each part in ascending order.
struct Split {
  uint64_t seed = 0;
  std::vector<size_t> train, val, test;
};

/// Draws the split (see the file comment). std::invalid_argument when the sizes add up to
/// more than `num_molecules`.
Split random_split(size_t num_molecules, const SplitSizes& sizes, uint64_t seed);

/// Writes the split as JSON with the molecule ids of `dataset`, atomically (write_file_atomically).
void write_split(const std::string& path, const Split& split, const Dataset& dataset);

/// What read_split() does with an id the dataset does not have.
enum class AbsentIds {
  error,  ///< a DataError: the dataset is not the one split
  skip,   ///< left out: the dataset holds part of the data split (the embedded sample of QM9)
};

/// Reads a split file back into indices of `dataset` (each part in ascending order).
/// DataError naming the file and the id when an id appears twice, or is not in the dataset
/// (unless `absent` skips it), and for a malformed file.
Split read_split(const std::string& path, const Dataset& dataset, AbsentIds absent = AbsentIds::error);

}  // namespace e3::data
