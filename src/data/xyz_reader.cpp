#include "e3/data/xyz_reader.h"

#include <memory>
#include <optional>

#include "atom_lines.h"
#include "e3/data/numbers.h"
#include "e3/data/targets.h"
#include "e3/data/line_reader.h"
#include "xyz_frames.h"

namespace e3::data {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// One `key=value` (or bare `key`) item of an extended-XYZ comment line.
struct Field {
  std::string_view key;
  std::string value;  // unquoted, escapes resolved
  bool has_value = false;
};

}  // namespace

// Splits comment lines into fields. The fields are kept between frames so that their
// strings' storage is reused: QM9 has 100k comment lines of ~20 fields each.
class CommentParser {
 public:
  // Parses `line` as key=value syntax; false when it is not (an unterminated quote, a
  // stray '=' or '"'). The fields view `line`, which must outlive them.
  bool parse(std::string_view line) {
    count_ = 0;
    size_t i = 0;
    const size_t n = line.size();
    while (true) {
      while (i < n && is_space(line[i])) ++i;
      if (i == n) return true;
      const size_t key_start = i;
      while (i < n && !is_space(line[i]) && line[i] != '=' && line[i] != '"') ++i;
      if (i == key_start) return false;
      Field& field = next_field();
      field.key = line.substr(key_start, i - key_start);
      field.value.clear();
      size_t j = i;
      while (j < n && is_space(line[j])) ++j;
      field.has_value = j < n && line[j] == '=';
      if (!field.has_value) continue;
      i = j + 1;
      while (i < n && is_space(line[i])) ++i;
      if (i < n && line[i] == '"') {
        for (++i; i < n && line[i] != '"'; ++i) {
          if (line[i] == '\\' && i + 1 < n) ++i;
          field.value.push_back(line[i]);
        }
        if (i == n) return false;  // unterminated quote
        ++i;
        if (i < n && !is_space(line[i])) return false;
      } else {
        const size_t value_start = i;
        while (i < n && !is_space(line[i])) {
          if (line[i] == '"') return false;
          ++i;
        }
        field.value.assign(line.substr(value_start, i - value_start));
      }
    }
  }

  size_t size() const { return count_; }
  const Field& operator[](size_t i) const { return fields_[i]; }
  bool has_pair() const {
    for (size_t i = 0; i < count_; ++i) {
      if (fields_[i].has_value) return true;
    }
    return false;
  }

 private:
  Field& next_field() {
    if (count_ == fields_.size()) fields_.emplace_back();
    return fields_[count_++];
  }

  std::vector<Field> fields_;
  size_t count_ = 0;
};

namespace {

// Where species and positions are on an atom line.
struct Columns {
  size_t species = 0;  // a symbol (species:S:1) or an atomic number (Z:I:1)
  size_t pos = 1;
  size_t count = 4;
  bool exact = false;  // Properties= gives the exact number of columns; plain XYZ gives a minimum
};

// Columns from a Properties= value such as "species:S:1:pos:R:3:forces:R:3".
Columns parse_properties(const LineReader& reader, const std::string& value) {
  std::vector<std::string_view> parts;
  std::string_view rest = value;
  while (true) {
    const size_t colon = rest.find(':');
    parts.push_back(rest.substr(0, colon));
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  const auto malformed = [&](const std::string& why) {
    reader.fail("malformed Properties=" + value + ": " + why +
                " (expected NAME:TYPE:COUNT triples, e.g. "
                "species:S:1:pos:R:3)");
  };
  if (parts.size() % 3 != 0) malformed("not a list of NAME:TYPE:COUNT triples");
  Columns columns;
  columns.exact = true;
  columns.count = 0;
  std::optional<size_t> species, atomic_numbers, pos;
  for (size_t i = 0; i < parts.size(); i += 3) {
    const std::string_view name = parts[i], type = parts[i + 1];
    const auto count = parse_integer(parts[i + 2]);
    if (name.empty()) malformed("empty column name");
    if (type != "S" && type != "R" && type != "I" && type != "L") malformed("unknown type '" + std::string(type) + "'");
    if (!count || *count < 1) malformed("bad column count '" + std::string(parts[i + 2]) + "'");
    if (name == "species" && type == "S" && *count == 1) species = columns.count;
    if (name == "Z" && type == "I" && *count == 1) atomic_numbers = columns.count;
    if (name == "pos" && type == "R" && *count == 3) pos = columns.count;
    columns.count += static_cast<size_t>(*count);
  }
  if (!species && !atomic_numbers) reader.fail("Properties=" + value + " has no species:S:1 (or Z:I:1) column");
  if (!pos) reader.fail("Properties=" + value + " has no pos:R:3 column");
  columns.species = species ? *species : *atomic_numbers;
  columns.pos = *pos;
  return columns;
}

// Applies the key=value fields of a comment line to `molecule` and returns the atom-line
// columns they declare.
Columns apply_comment(const LineReader& reader, const CommentParser& fields, Molecule& molecule) {
  Columns columns;
  bool has_properties = false, has_gdb = false;
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field& field = fields[i];
    if (field.key == "Properties") {
      if (has_properties) reader.fail("Properties= is given twice");
      has_properties = true;
      columns = parse_properties(reader, field.value);
    } else if (field.key == "gdb") {
      if (has_gdb) reader.fail("gdb= is given twice");
      has_gdb = true;
      molecule.id = std::to_string(reader.integer(field.value, "gdb (the QM9 index)"));
    } else if (field.key == "smiles") {
      molecule.smiles = field.value;
    } else if (const auto target = find_target(field.key)) {
      if (molecule.has(*target)) reader.fail(std::string("property ") + target_name(*target) + " is given twice");
      if (!field.has_value) reader.fail(std::string("property ") + target_name(*target) + " has no value");
      molecule.set_target(*target, reader.real(field.value, target_name(*target)) * file_to_thesis_factor(*target));
    }
  }
  return columns;
}

std::string frame_text(int64_t frame, int64_t count_line) {
  return "frame " + std::to_string(frame) + " (line " + std::to_string(count_line) + ")";
}

}  // namespace

XyzFrames::XyzFrames(LineReader& reader, std::string name)
    : reader_(reader), name_(std::move(name)), comment_(std::make_unique<CommentParser>()) {}

XyzFrames::~XyzFrames() = default;

std::optional<Molecule> XyzFrames::next() {
  LineReader& reader = reader_;
  auto& tokens = tokens_;
  const int64_t frame = frame_;
  while (reader.next()) {
    split_whitespace(reader.line(), tokens);
    if (tokens.empty()) continue;  // blank lines between frames
    const auto count = tokens.size() == 1 ? parse_integer(tokens[0]) : std::nullopt;
    if (!count) {
      if (frame > 0 && looks_like_atom_line(tokens)) {
        reader.fail("atom count does not match: " + frame_text(frame - 1, previous_line_) + " declares " +
                    std::to_string(previous_count_) + " atoms but more atom lines follow");
      }
      reader.fail("expected the atom count of frame " + std::to_string(frame) + ", found " + quoted(reader.line()));
    }
    if (*count < 1) reader.fail("atom count must be positive, found " + std::to_string(*count));
    const int64_t count_line = reader.line_number();
    Molecule molecule;
    molecule.source_file = reader.file();
    molecule.source_line = count_line;
    molecule.frame = frame;
    if (!reader.next()) {
      reader.fail("truncated file: " + frame_text(frame, count_line) + " ends before its comment line");
    }
    Columns columns;
    if (comment_->parse(reader.line()) && comment_->has_pair()) {
      columns = apply_comment(reader, *comment_, molecule);
    } else if (reader.line().find("Properties=") != std::string_view::npos) {
      reader.fail("malformed extended-XYZ comment line (unterminated quote or stray '=' or '\"')");
    }
    if (molecule.id.empty()) molecule.id = name_ + "#" + std::to_string(frame);

    reserve_atoms(reader, *count, columns.count, molecule);
    const auto mismatch = [&](const std::string& found) {
      reader.fail("atom count does not match: " + frame_text(frame, count_line) + " declares " +
                  std::to_string(*count) + " atoms, found " + found);
    };
    for (int64_t atom = 0; atom < *count; ++atom) {
      if (!reader.next()) {
        reader.fail("truncated file: " + frame_text(frame, count_line) + " declares " + std::to_string(*count) +
                    " atoms, the file ends after " + std::to_string(atom));
      }
      split_whitespace(reader.line(), tokens);
      if (tokens.empty()) mismatch("a blank line after " + std::to_string(atom));
      if (tokens.size() == 1 && parse_integer(tokens[0])) mismatch("the next atom count after " + std::to_string(atom));
      if (columns.exact ? tokens.size() != columns.count : tokens.size() < columns.count) {
        reader.fail("atom line has " + std::to_string(tokens.size()) + " columns, expected " +
                    (columns.exact ? "" : "at least ") + std::to_string(columns.count) +
                    (columns.exact ? " (as Properties= declares)" : " (species x y z)"));
      }
      molecule.atomic_numbers.push_back(species_atomic_number(reader, tokens[columns.species]));
      read_position(reader, tokens, columns.pos, molecule.positions);
    }
    previous_count_ = *count;
    previous_line_ = count_line;
    ++frame_;
    return molecule;
  }
  if (frame_ == 0) reader.fail_at(1, "empty file: no molecules");
  return std::nullopt;
}

std::vector<Molecule> parse_xyz(std::string_view text, const std::string& source, const std::string& name) {
  LineReader reader(text, source);
  XyzFrames frames(reader, name);
  std::vector<Molecule> molecules;
  while (auto molecule = frames.next()) molecules.push_back(std::move(*molecule));
  return molecules;
}

}  // namespace e3::data
