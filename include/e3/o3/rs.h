#pragma once
// Rs: the representation shorthand of a feature vector (thesis Section 2.4.1).
//
// A feature on one atom is a direct sum of irreducible representations of SO(3)
// (optionally O(3)), written as a list of (multiplicity, l[, parity]) entries. Its flat
// layout ("feature" in the thesis) is ordered by entry, then multiplicity u, then
// component m = -l..l, so entry e occupies [offset(e), offset(e) + mul*(2l+1)) and
// copy u of it occupies [offset(e) + u*(2l+1), offset(e) + (u+1)*(2l+1)).
//
// Two notations are accepted and printed:
//   string form: "64x0e+21x1o", "2x0+1x1", "0e" (multiplicity 1 may be omitted;
//                parity letter e = even (+1), o = odd (-1), absent = no parity)
//   list form:   "[(64, 0), (21, 1)]" or "[(64, 0, 1), (21, 1, -1)]" (the thesis' Python form)

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace e3::o3 {

/// One entry of an Rs: `mul` copies of the irreducible representation of order `l`.
/// `parity` is +1 (even), -1 (odd), or 0 when the representation carries no parity (SO(3)).
struct Irrep {
  int64_t mul = 1;
  int l = 0;
  int parity = 0;

  /// Dimension of one copy: 2l+1.
  int64_t ir_dim() const { return 2 * l + 1; }
  /// Dimension of the whole entry: mul*(2l+1).
  int64_t dim() const { return mul * ir_dim(); }
  bool operator==(const Irrep& other) const {
    return mul == other.mul && l == other.l && parity == other.parity;
  }
  bool operator!=(const Irrep& other) const { return !(*this == other); }
};

/// A representation: an ordered list of Irrep entries (the thesis' Rs).
class Rs {
 public:
  Rs() = default;
  Rs(std::vector<Irrep> entries);  // NOLINT(google-explicit-constructor): Rs{{64, 0}, {21, 1}}
  Rs(std::initializer_list<Irrep> entries);

  /// Parses either notation (see the file comment). Throws std::invalid_argument with a
  /// message that quotes the text and says what is wrong, e.g. for "3x", "x1e", "-1x0e".
  static Rs parse(const std::string& text);

  /// String form, e.g. "64x0e+21x1o"; an empty Rs prints as "" .
  std::string str() const;
  /// List form, e.g. "[(64, 0), (21, 1)]", with a third element when parity is set.
  std::string list_str() const;

  /// Total dimension: sum of mul*(2l+1) (the thesis' dim(Rs)).
  int64_t dim() const;
  /// Largest l present; -1 for an empty Rs.
  int lmax() const;
  /// Sum of multiplicities.
  int64_t num_irreps() const;
  /// Start of each entry in the flat layout; offsets()[i+1] - offsets()[i] = entries()[i].dim().
  /// Has size() + 1 elements, the last being dim().
  std::vector<int64_t> offsets() const;

  /// Merges neighbouring entries with the same (l, parity) and drops zero multiplicities.
  /// The flat layout is unchanged by simplification.
  Rs simplify() const;
  /// Total multiplicity of order l (with the given parity, or any parity when parity == 0).
  int64_t mul_of(int l, int parity = 0) const;
  /// True if some entry has a nonzero parity.
  bool has_parity() const;

  const std::vector<Irrep>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const Irrep& operator[](size_t i) const { return entries_[i]; }
  std::vector<Irrep>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Irrep>::const_iterator end() const { return entries_.end(); }
  bool operator==(const Rs& other) const { return entries_ == other.entries_; }
  bool operator!=(const Rs& other) const { return !(*this == other); }

 private:
  static void validate(const Irrep& irrep);
  std::vector<Irrep> entries_;
};

}  // namespace e3::o3
