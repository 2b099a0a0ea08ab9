#include "e3/o3/rs.h"

#include <cctype>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace e3::o3 {
namespace {

// A tiny cursor over the text being parsed; every error quotes the whole text and the
// position, so that a user sees exactly which character was unexpected.
class Cursor {
 public:
  explicit Cursor(const std::string& text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool done() {
    skip_space();
    return pos_ >= text_.size();
  }
  char peek() {
    skip_space();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  void expect(char c, const char* what) {
    if (!accept(c)) fail(std::string("expected ") + what);
  }
  bool at_digit() { return std::isdigit(static_cast<unsigned char>(peek())) != 0; }

  // Reads an optionally signed integer (the sign only where `allow_sign`).
  int64_t integer(const char* what, bool allow_sign) {
    skip_space();
    bool negative = false;
    if (allow_sign && pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) {
      negative = text_[pos_] == '-';
      ++pos_;
    }
    if (!at_digit()) fail(std::string("expected ") + what);
    int64_t value = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      const int digit = text_[pos_] - '0';
      if (value > (std::numeric_limits<int32_t>::max() - digit) / 10) fail(std::string(what) + " is too large");
      value = value * 10 + digit;
      ++pos_;
    }
    return negative ? -value : value;
  }

  [[noreturn]] void fail(const std::string& problem) {
    std::ostringstream message;
    message << "invalid Rs \"" << text_ << "\": " << problem;
    if (pos_ < text_.size()) {
      message << " at position " << pos_ << " (found '" << text_[pos_] << "')";
    } else {
      message << " at the end of the text";
    }
    throw std::invalid_argument(message.str());
  }

 private:
  const std::string& text_;
  size_t pos_ = 0;
};

// "[(64, 0), (21, 1, -1)]"
std::vector<Irrep> parse_list_form(Cursor& cursor) {
  std::vector<Irrep> entries;
  cursor.expect('[', "'['");
  if (cursor.accept(']')) return entries;
  do {
    cursor.expect('(', "'(' to open an entry");
    Irrep irrep;
    irrep.mul = cursor.integer("a multiplicity", true);
    cursor.expect(',', "',' after the multiplicity");
    irrep.l = static_cast<int>(cursor.integer("an order l", true));
    if (cursor.accept(',')) irrep.parity = static_cast<int>(cursor.integer("a parity (1, -1 or 0)", true));
    cursor.expect(')', "')' to close an entry");
    if (irrep.mul < 0) cursor.fail("multiplicity must not be negative");
    if (irrep.l < 0) cursor.fail("order l must not be negative");
    if (irrep.parity < -1 || irrep.parity > 1) cursor.fail("parity must be 1, -1 or 0");
    entries.push_back(irrep);
  } while (cursor.accept(','));
  cursor.expect(']', "',' or ']'");
  return entries;
}

// "64x0e+21x1o", "0e", "2x1"
std::vector<Irrep> parse_string_form(Cursor& cursor) {
  std::vector<Irrep> entries;
  do {
    if (cursor.peek() == '-') cursor.fail("multiplicity must not be negative");
    if (!cursor.at_digit()) cursor.fail("expected a multiplicity or an order l");
    Irrep irrep;
    const int64_t first = cursor.integer("a multiplicity or an order l", false);
    if (cursor.accept('x')) {
      irrep.mul = first;
      if (cursor.peek() == '-') cursor.fail("order l must not be negative");
      irrep.l = static_cast<int>(cursor.integer("an order l after 'x'", false));
    } else {
      irrep.l = static_cast<int>(first);
    }
    if (cursor.accept('e')) {
      irrep.parity = 1;
    } else if (cursor.accept('o')) {
      irrep.parity = -1;
    }
    entries.push_back(irrep);
  } while (cursor.accept('+'));
  if (!cursor.done()) cursor.fail("expected '+' or the end of the text");
  return entries;
}

}  // namespace

Rs::Rs(std::vector<Irrep> entries) : entries_(std::move(entries)) {
  for (const auto& irrep : entries_) validate(irrep);
}

Rs::Rs(std::initializer_list<Irrep> entries) : Rs(std::vector<Irrep>(entries)) {}

void Rs::validate(const Irrep& irrep) {
  if (irrep.mul < 0) throw std::invalid_argument("Rs: multiplicity must not be negative");
  if (irrep.l < 0) throw std::invalid_argument("Rs: order l must not be negative");
  if (irrep.parity < -1 || irrep.parity > 1) throw std::invalid_argument("Rs: parity must be 1, -1 or 0");
}

Rs Rs::parse(const std::string& text) {
  Cursor cursor(text);
  if (cursor.done()) return Rs();
  return Rs(cursor.peek() == '[' ? parse_list_form(cursor) : parse_string_form(cursor));
}

std::string Rs::str() const {
  std::ostringstream out;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Irrep& irrep = entries_[i];
    if (i > 0) out << '+';
    out << irrep.mul << 'x' << irrep.l;
    if (irrep.parity == 1) out << 'e';
    if (irrep.parity == -1) out << 'o';
  }
  return out.str();
}

std::string Rs::list_str() const {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Irrep& irrep = entries_[i];
    if (i > 0) out << ", ";
    out << '(' << irrep.mul << ", " << irrep.l;
    if (irrep.parity != 0) out << ", " << irrep.parity;
    out << ')';
  }
  out << ']';
  return out.str();
}

int64_t Rs::dim() const {
  int64_t total = 0;
  for (const auto& irrep : entries_) total += irrep.dim();
  return total;
}

int Rs::lmax() const {
  int lmax = -1;
  for (const auto& irrep : entries_) lmax = std::max(lmax, irrep.l);
  return lmax;
}

int64_t Rs::num_irreps() const {
  int64_t total = 0;
  for (const auto& irrep : entries_) total += irrep.mul;
  return total;
}

std::vector<int64_t> Rs::offsets() const {
  std::vector<int64_t> offsets{0};
  for (const auto& irrep : entries_) offsets.push_back(offsets.back() + irrep.dim());
  return offsets;
}

Rs Rs::simplify() const {
  std::vector<Irrep> merged;
  for (const auto& irrep : entries_) {
    if (irrep.mul == 0) continue;
    if (!merged.empty() && merged.back().l == irrep.l && merged.back().parity == irrep.parity) {
      merged.back().mul += irrep.mul;
    } else {
      merged.push_back(irrep);
    }
  }
  return Rs(std::move(merged));
}

int64_t Rs::mul_of(int l, int parity) const {
  int64_t total = 0;
  for (const auto& irrep : entries_) {
    if (irrep.l == l && (parity == 0 || irrep.parity == parity)) total += irrep.mul;
  }
  return total;
}

bool Rs::has_parity() const {
  for (const auto& irrep : entries_) {
    if (irrep.parity != 0) return true;
  }
  return false;
}

}  // namespace e3::o3
