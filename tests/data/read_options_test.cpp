// What e3_data itself does for the formats e3::chem registers: the read options, CSV lines, the
// registry of formats, and records that give no molecule (read here through a test format, so
// that e3_data is tested without RDKit).

#include "e3/data/read_options.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "data_test_files.h"
#include "e3/data/csv.h"
#include "e3/data/dataset.h"
#include "e3/data/error.h"
#include "e3/data/molecule_formats.h"
#include "e3/data/molecule_stream.h"
#include "e3/data/read.h"

namespace e3::data {
namespace {

using testing::TempDir;

TEST(ReadOptions, TargetColumnsParseAndPrintBack) {
  const auto columns = parse_target_columns("mu=dipole,U0=u0 (Ha)");
  ASSERT_EQ(columns.size(), 2u);
  EXPECT_EQ(columns[0], std::make_pair(Target::mu, std::string("dipole")));
  EXPECT_EQ(columns[1], std::make_pair(Target::U0, std::string("u0 (Ha)")));
  EXPECT_EQ(target_columns_text(columns), "mu=dipole,U0=u0 (Ha)");
  EXPECT_TRUE(parse_target_columns("").empty());

  ReadOptions options;
  options.target_columns = columns;
  EXPECT_EQ(options.column_of(Target::mu), "dipole");
  EXPECT_EQ(options.column_of(Target::alpha), "alpha") << "unmapped targets are read from their own names";
}

TEST(ReadOptions, BadTargetColumnsAndSettingsNameTheProblem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"mu", "target column 'mu' is not TARGET=COLUMN (e.g. mu=dipole)"},
      {"mu=", "target column 'mu=' is not TARGET=COLUMN (e.g. mu=dipole)"},
      {"dipole=mu", "target column 'dipole=mu': unknown target 'dipole'"},
      {"mu=a,mu=b", "target column for mu given twice"},
  };
  for (const auto& [text, message] : cases) {
    try {
      parse_target_columns(text);
      ADD_FAILURE() << "accepted " << text;
    } catch (const std::invalid_argument& error) {
      EXPECT_EQ(std::string(error.what()), message);
    }
  }
  ReadOptions options;
  options.validate();
  options.conformers = 0;
  EXPECT_THROW(options.validate(), std::invalid_argument);
  options.conformers = 1;
  options.embedding_seed = int64_t{1} << 31;
  EXPECT_THROW(options.validate(), std::invalid_argument);
}

TEST(Csv, LinesSplitAtCommasOutsideQuotes) {
  EXPECT_EQ(parse_csv_line("CCO,ethanol,1.41"), (std::vector<std::string>{"CCO", "ethanol", "1.41"}));
  EXPECT_EQ(parse_csv_line("\"C(C)O\",\"a, b\",\"say \"\"hi\"\"\""),
            (std::vector<std::string>{"C(C)O", "a, b", "say \"hi\""}));
  EXPECT_EQ(parse_csv_line("a,,"), (std::vector<std::string>{"a", "", ""}));
  EXPECT_EQ(parse_csv_line(""), std::vector<std::string>{""});
  // What csv_field() writes reads back.
  EXPECT_EQ(parse_csv_line(csv_field("x,\"y\"") + "," + csv_field("z")), (std::vector<std::string>{"x,\"y\"", "z"}));
  EXPECT_THROW(parse_csv_line("\"open"), std::invalid_argument);
  EXPECT_THROW(parse_csv_line("\"closed\"x,y"), std::invalid_argument);
}

// A format for the tests: each line "ID ATOMS" gives a molecule of ATOMS hydrogens on a line
// 1 A apart, "ID bad" a record that gives none.
class LineFormat : public MoleculeReader {
 public:
  explicit LineFormat(const std::string& path) : lines_(split_lines(testing::read_file(path))), path_(path) {}
  std::optional<Molecule> next(std::vector<SkippedMolecule>& skipped) override {
    while (line_ < lines_.size()) {
      const std::string& line = lines_[line_++];
      const std::string id = line.substr(0, line.find(' ')), rest = line.substr(line.find(' ') + 1);
      if (rest == "bad") {
        skipped.push_back({path_, static_cast<int64_t>(line_), id, "bad_smiles", "a test record", 0});
        continue;
      }
      Molecule molecule;
      molecule.id = id;
      molecule.source_file = path_;
      molecule.source_line = static_cast<int64_t>(line_);
      for (int a = 0; a < std::stoi(rest); ++a) {
        molecule.atomic_numbers.push_back(1);
        molecule.positions.insert(molecule.positions.end(), {static_cast<double>(a), 0.0, 0.0});
      }
      return molecule;
    }
    return std::nullopt;
  }

 private:
  static std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    for (size_t start = 0, end; start < text.size(); start = end + 1) {
      end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      lines.push_back(text.substr(start, end - start));
    }
    return lines;
  }
  std::vector<std::string> lines_;
  std::string path_;
  size_t line_ = 0;
};

void register_line_format() {
  register_molecule_format({"test lines", {".lines"}, [](const std::string& path, const ReadOptions&) {
                              return std::make_unique<LineFormat>(path);
                            }});
}

TEST(MoleculeFormats, RegisteredFormatsAreReadByEveryReader) {
  register_line_format();
  TempDir dir;
  testing::write_text(dir.file("three.lines"), "a 2\nb bad\nc 3\nd bad\n");
  ASSERT_NE(find_molecule_format(dir.file("three.lines")), nullptr);
  ASSERT_NE(find_molecule_format(dir.file("three.lines.gz")), nullptr) << ".gz after an ending is the same format";
  EXPECT_EQ(find_molecule_format(dir.file("three.xyz")), nullptr);

  std::vector<SkippedMolecule> skipped;
  const auto molecules = read_molecules(dir.file("three.lines"), {}, &skipped);
  ASSERT_EQ(molecules.size(), 2u);
  EXPECT_EQ(molecules[1].num_atoms(), 3);
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_EQ(skipped[0].id, "b");
  EXPECT_EQ(skipped[0].source_line, 2);
  EXPECT_EQ(skipped[0].before, 1) << "one molecule came before it";
  EXPECT_EQ(skipped[1].before, 2);

  // Without a place for skipped records the first is an error naming its line.
  try {
    read_molecules(dir.file("three.lines"));
    ADD_FAILURE() << "a skipped record went unreported";
  } catch (const DataError& error) {
    EXPECT_EQ(std::string(error.what()), dir.file("three.lines") + ":2: bad_smiles: molecule b: a test record");
  }

  // The stream gives the same molecules, and the skipped records in file order.
  MoleculeStream stream(dir.file("three.lines"));
  EXPECT_EQ(stream.next()->id, "a");
  EXPECT_TRUE(stream.take_skipped().empty());
  EXPECT_EQ(stream.next()->id, "c");
  auto records = stream.take_skipped();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].before, 1);
  EXPECT_FALSE(stream.next().has_value());
  records = stream.take_skipped();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].id, "d");
  EXPECT_EQ(records[0].before, 2);

  // Training data: the records are skipped with a warning, the molecules kept.
  ::testing::internal::CaptureStderr();
  const auto dataset = Dataset::read(dir.file("three.lines"));
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(dataset.size(), 2u);
  EXPECT_NE(warnings.find(dir.file("three.lines") + ":4: bad_smiles: molecule d skipped (a test record)"),
            std::string::npos)
      << warnings;
  EXPECT_NE(warnings.find("2 record(s) skipped, 2 molecules read"), std::string::npos) << warnings;
}

TEST(MoleculeFormats, ChemistsFormatsWithoutTheirReadersAreAClearError) {
  // test_data does not register e3::chem's formats: a SMILES file is not mistaken for XYZ.
  TempDir dir;
  testing::write_text(dir.file("a.smi"), "CCO ethanol\n");
  try {
    read_molecules(dir.file("a.smi"));
    ADD_FAILURE() << "read a SMILES file without its reader";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find("needs the SMILES/SDF readers"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace e3::data
