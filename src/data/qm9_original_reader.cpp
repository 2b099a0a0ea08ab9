#include "e3/data/qm9_original_reader.h"

#include <array>

#include "atom_lines.h"
#include "e3/data/numbers.h"
#include "e3/data/line_reader.h"

namespace e3::data {
namespace {

// The 15 properties of line 2, in file order; the last 12 are the targets in Table 2.1's order.
constexpr std::array<const char*, 15> kProperties = {"A",  "B",    "C",  "mu", "alpha", "homo", "lumo", "gap",
                                                     "r2", "zpve", "U0", "U",  "H",     "G",    "Cv"};
constexpr size_t kFirstTarget = 3;

// Moves to the next line, or fails with "truncated file" saying which line is missing.
void expect_line(LineReader& reader, const char* what) {
  if (!reader.next()) reader.fail(std::string("truncated file: it ends before the ") + what);
}

}  // namespace

bool is_qm9_original(std::string_view text) {
  const size_t first_end = text.find('\n');
  if (first_end == std::string_view::npos) return false;
  const std::string_view second = text.substr(first_end + 1);
  return second.size() > 3 && second.compare(0, 3, "gdb") == 0 && (second[3] == ' ' || second[3] == '\t');
}

Molecule parse_qm9_original(std::string_view text, const std::string& source) {
  LineReader reader(text, source);
  std::vector<std::string_view> tokens;
  Molecule molecule;
  molecule.source_file = source;
  molecule.source_line = 1;
  molecule.frame = 0;

  if (!reader.next() || (is_blank(reader.line()) && reader.only_blank_lines_left())) {
    reader.fail_at(1, "empty file: no molecules");
  }
  split_whitespace(reader.line(), tokens);
  const auto count = tokens.size() == 1 ? parse_integer(tokens[0]) : std::nullopt;
  if (!count) reader.fail("expected the atom count, found " + quoted(reader.line()));
  if (*count < 1) reader.fail("atom count must be positive, found " + std::to_string(*count));

  expect_line(reader, "property line (line 2)");
  split_whitespace(reader.line(), tokens);
  if (tokens.size() != 2 + kProperties.size() || tokens[0] != "gdb") {
    reader.fail(
        "expected 'gdb', the QM9 index and 15 properties (A B C mu alpha homo lumo gap r2 zpve U0 U H G Cv), "
        "found " +
        std::to_string(tokens.size()) + " fields");
  }
  molecule.id = std::to_string(reader.integer(tokens[1], "the QM9 index"));
  for (size_t i = 0; i < kProperties.size(); ++i) {
    const double value = reader.real(tokens[2 + i], kProperties[i]);
    if (i >= kFirstTarget) {
      const Target target = all_targets()[i - kFirstTarget];
      molecule.set_target(target, value * file_to_thesis_factor(target));
    }
  }

  reserve_atoms(reader, *count, 5, molecule);
  const std::string declared = "line 1 declares " + std::to_string(*count) + " atoms";
  for (int64_t atom = 0; atom < *count; ++atom) {
    if (!reader.next()) reader.fail("truncated file: " + declared + ", the file ends after " + std::to_string(atom));
    split_whitespace(reader.line(), tokens);
    if (tokens.size() != 5) {
      // No frequency line has 5 entries (3N - 6, or 3N - 5 for linear molecules), so a line
      // of numbers here is the frequency line: the atom count is too large.
      if (!tokens.empty() && parse_real(tokens[0])) {
        reader.fail("atom count does not match: " + declared + ", found a line of numbers after " +
                    std::to_string(atom) + " atom lines");
      }
      reader.fail("expected atom " + std::to_string(atom + 1) + " of " + std::to_string(*count) +
                  ": element, x, y, z, Mulliken charge (5 fields), found " + std::to_string(tokens.size()) + " fields");
    }
    molecule.atomic_numbers.push_back(species_atomic_number(reader, tokens[0]));
    read_position(reader, tokens, 1, molecule.positions);
    reader.real(tokens[4], "the Mulliken charge");
  }

  expect_line(reader, "harmonic frequencies line");
  split_whitespace(reader.line(), tokens);
  if (tokens.size() == 5 && looks_like_atom_line(tokens)) {
    reader.fail("atom count does not match: " + declared + " but more atom lines follow");
  }
  if (tokens.empty()) reader.fail("expected the harmonic frequencies, found a blank line");
  for (const auto token : tokens) reader.real(token, "a harmonic frequency");

  expect_line(reader, "SMILES line");
  if (is_blank(reader.line())) reader.fail("expected the SMILES line, found a blank line");
  expect_line(reader, "InChI line");
  if (reader.line().rfind("InChI=", 0) != 0) reader.fail("expected the InChI line, found " + quoted(reader.line()));
  if (!reader.only_blank_lines_left()) {
    reader.next();
    reader.fail("unexpected text after the InChI line (one molecule per original QM9 file)");
  }
  return molecule;
}

}  // namespace e3::data
