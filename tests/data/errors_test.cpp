// Bad input: every problem is a one-line DataError naming the file, the line and the problem.

#include <gtest/gtest.h>

#include "data_test_files.h"
#include "e3/data/dataset.h"
#include "e3/data/read.h"
#include "e3/data/statistics.h"

namespace e3::data {
namespace {

using testing::data_error;
using testing::expect_error_at;
using testing::TempDir;

const std::string kHeader = "Properties=species:S:1:pos:R:3 gdb=1 U0=-40.47893\n";

// Writes `text` to a temporary .extxyz file and checks the error of reading it.
void expect_xyz_error(const std::string& text, int line, const std::string& problem) {
  TempDir dir;
  const std::string path = dir.file("bad.extxyz");
  testing::write_text(path, text);
  expect_error_at(data_error([&] { read_molecules(path); }), path, line, problem);
}

// The original file of molecule 1 with `from` replaced by `to`, read back.
void expect_original_error(const std::string& from, const std::string& to, int line, const std::string& problem) {
  std::string text = testing::read_file(testing::original_qm9_file());
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  TempDir dir;
  const std::string path = dir.file("dsgdb9nsd_000001.xyz");
  testing::write_text(path, text);
  expect_error_at(data_error([&] { read_molecules(path); }), path, line, problem);
}

TEST(DataErrors, TruncatedExtendedXyz) {
  expect_xyz_error("3\n" + kHeader + "H 0 0 0\nH 0 0 1\n", 4,
                   "truncated file: frame 0 (line 1) declares 3 atoms, the file ends after 2");
  expect_xyz_error("1\n" + kHeader + "H 0 0 0\n2\n", 4,
                   "truncated file: frame 1 (line 4) ends before its comment line");
}

TEST(DataErrors, AtomCountThatDoesNotMatch) {
  expect_xyz_error("1\n" + kHeader + "H 0 0 0\nH 0 0 1\n", 4,
                   "atom count does not match: frame 0 (line 1) declares 1 atoms but more atom lines follow");
  expect_xyz_error("3\n" + kHeader + "H 0 0 0\nH 0 0 1\n1\nc\nH 0 0 0\n", 5,
                   "atom count does not match: frame 0 (line 1) declares 3 atoms, found the next atom count after 2");
  expect_xyz_error("2\n" + kHeader + "H 0 0 0\n\nH 0 0 1\n", 4, "atom count does not match");
  expect_xyz_error("0\n" + kHeader, 1, "atom count must be positive");
  expect_xyz_error("five\n" + kHeader, 1, "expected the atom count of frame 0, found 'five'");
}

// A count no file of this size can hold must not reach reserve() (a bare std::bad_alloc, or
// an overflow of 3 * count): it is a mismatch like any other.
TEST(DataErrors, AtomCountLargerThanTheFileCanHold) {
  expect_xyz_error("999999999999\n" + kHeader + "H 0 0 0\n", 3,
                   "truncated file: frame 0 (line 1) declares 999999999999 atoms, the file ends after 1");
  expect_xyz_error("1\n" + kHeader + "H 0 0 0\n9223372036854775807\nc\nH 0 0 0\nH 0 0 1\n", 7,
                   "truncated file: frame 1 (line 4) declares 9223372036854775807 atoms, the file ends after 2");
  expect_xyz_error("999999999999\n" + kHeader + "H 0 0 0\n1\n" + kHeader + "H 0 0 0\n", 4,
                   "atom count does not match: frame 0 (line 1) declares 999999999999 atoms, found the next atom "
                   "count after 1");
  expect_original_error("5\n", "999999999999\n", 8,
                        "atom count does not match: line 1 declares 999999999999 atoms, found a line of numbers after 5 "
                        "atom lines");
}

TEST(DataErrors, UnknownElement) { expect_xyz_error("1\n" + kHeader + "Xx 0 0 0\n", 3, "unknown element 'Xx'"); }

TEST(DataErrors, UnparsableNumbers) {
  expect_xyz_error("1\n" + kHeader + "H 0 1.2.3 0\n", 3, "unparsable number '1.2.3' for coordinate y");
  expect_xyz_error("1\nU0=abc\nH 0 0 0\n", 2, "unparsable number 'abc' for U0");
  expect_xyz_error("1\ngdb=x1\nH 0 0 0\n", 2, "unparsable integer 'x1' for gdb");
}

TEST(DataErrors, NanAndInfinity) {
  expect_xyz_error("1\n" + kHeader + "H 0 nan 0\n", 3, "not a finite number 'nan' for coordinate y");
  expect_xyz_error("1\ngdb=1 Cv=inf\nH 0 0 0\n", 2, "not a finite number 'inf' for Cv");
}

TEST(DataErrors, EmptyFile) {
  expect_xyz_error("", 1, "empty file: no molecules");
  expect_xyz_error("\n  \n\t\n", 1, "empty file: no molecules");
  TempDir dir;
  testing::write_gzip(dir.file("empty.xyz.gz"), "");
  expect_error_at(data_error([&] { read_molecules(dir.file("empty.xyz.gz")); }), dir.file("empty.xyz.gz"), 1,
                  "empty file");
}

TEST(DataErrors, MalformedExtendedXyzComments) {
  expect_xyz_error("1\n" + kHeader + "H 0 0 0 1.5\n", 3,
                   "atom line has 5 columns, expected 4 (as Properties= declares)");
  expect_xyz_error("1\nProperties=species:S:1:pos:R\nH 0 0 0\n", 2, "malformed Properties=species:S:1:pos:R");
  expect_xyz_error("1\nProperties=species:S:1:force:R:3\nH 0 0 0\n", 2, "has no pos:R:3 column");
  expect_xyz_error("1\nProperties=species:S:1:pos:R:3 smiles=\"CC\nH 0 0 0\n", 2,
                   "malformed extended-XYZ comment line");
  expect_xyz_error("1\ngdb=1 U0=-1 U0=-2\nH 0 0 0\n", 2, "property U0 is given twice");
  expect_xyz_error("1\nplain text\nH 0 0\n", 3, "atom line has 3 columns, expected at least 4");
}

TEST(DataErrors, MissingPropertyNamesTheMoleculesFileAndLine) {
  TempDir dir;
  const std::string path = dir.file("some.extxyz");
  testing::write_text(path, "1\ngdb=3 U0=-0.5\nH 0 0 0\n\n1\ngdb=4 mu=1\nH 0 0 0\n");
  const Dataset dataset = Dataset::read(path);
  expect_error_at(data_error([&] {
                    target_statistics(dataset, {0, 1}, Target::U0);
                  }),
                  path, 5, "missing property: molecule 4 (frame 1) has no 'U0'");
}

TEST(DataErrors, DuplicateIds) {
  TempDir dir;
  const std::string path = dir.file("twice.extxyz");
  testing::write_text(path, "1\ngdb=3\nH 0 0 0\n1\ngdb=3\nH 0 0 0\n");
  expect_error_at(data_error([&] { Dataset::read(path); }), path, 4,
                  "duplicate molecule id 3 (first at " + path + ":1)");
}

TEST(DataErrors, OriginalFormat) {
  expect_original_error("InChI=1S/CH4/h1H4\tInChI=1S/CH4/h1H4\n", "", 9,
                        "truncated file: it ends before the InChI line");
  expect_original_error("5\n", "4\n", 7,
                        "atom count does not match: line 1 declares 4 atoms but more atom lines follow");
  expect_original_error(
      "5\n", "6\n", 8,
      "atom count does not match: line 1 declares 6 atoms, found a line of numbers after 5 atom lines");
  expect_original_error("C\t-0.0126981359", "Q\t-0.0126981359", 3, "unknown element 'Q'");
  expect_original_error("13.21", "13.2x1", 2, "unparsable number '13.2x1' for alpha");
  expect_original_error("1.4637511618", "1.46*^x", 5, "unparsable number '1.46*^x' for coordinate y");
  expect_original_error("0.133923", "NaN", 6, "not a finite number 'NaN' for the Mulliken charge");
  expect_original_error("\t35.3641", "", 2, "expected 'gdb', the QM9 index and 15 properties");
  expect_original_error("1341.307", "12x", 8, "unparsable number '12x' for a harmonic frequency");
  expect_original_error("C\tC\t\n", "C\tC\t\nCC\n", 10, "expected the InChI line, found 'CC'");
  expect_original_error("InChI=1S/CH4/h1H4\tInChI=1S/CH4/h1H4\n", "InChI=1S/CH4/h1H4\nInChI=1S/CH4/h1H4\n", 11,
                        "unexpected text after the InChI line");
}

TEST(DataErrors, TruncatedOriginalFile) {
  const std::string text = testing::read_file(testing::original_qm9_file());
  size_t cut = 0;
  for (int line = 0; line < 5; ++line) cut = text.find('\n', cut) + 1;  // keep lines 1-5: 3 of 5 atoms
  TempDir dir;
  testing::write_text(dir.file("cut.xyz"), text.substr(0, cut));
  expect_error_at(data_error([&] { read_molecules(dir.file("cut.xyz")); }), dir.file("cut.xyz"), 5,
                  "truncated file: line 1 declares 5 atoms, the file ends after 3");
}

TEST(DataErrors, TruncatedGzip) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "1\ngdb=" + std::to_string(i) + " U0=-0.5\nH 0 0 " + std::to_string(i) + "\n";
  TempDir dir;
  testing::write_gzip(dir.file("full.xyz.gz"), text);
  const std::string bytes = testing::read_file(dir.file("full.xyz.gz"));
  testing::write_text(dir.file("cut.xyz.gz"), bytes.substr(0, bytes.size() / 2));
  expect_error_at(data_error([&] { read_molecules(dir.file("cut.xyz.gz")); }), dir.file("cut.xyz.gz"), 0,
                  "truncated gzip data");
}

TEST(DataErrors, BadArchives) {
  TempDir dir;
  testing::write_text(dir.file("garbage.tar.bz2"), "this is not an archive\n");
  expect_error_at(data_error([&] { read_molecules(dir.file("garbage.tar.bz2")); }), dir.file("garbage.tar.bz2"), 0,
                  "bad or unsupported archive");

  const std::string original = testing::read_file(testing::original_qm9_file());
  testing::write_tar_bz2(dir.file("none.tar.bz2"), {{"notes.txt", "no molecules here"}});
  expect_error_at(data_error([&] { read_molecules(dir.file("none.tar.bz2")); }), dir.file("none.tar.bz2"), 0,
                  "no molecule files (*.xyz, *.extxyz) in the archive");

  std::vector<std::pair<std::string, std::string>> members;
  for (int i = 1; i <= 200; ++i) members.emplace_back("dsgdb9nsd_" + std::to_string(100000 + i) + ".xyz", original);
  testing::write_tar_bz2(dir.file("full.tar.bz2"), members);
  const std::string bytes = testing::read_file(dir.file("full.tar.bz2"));
  testing::write_text(dir.file("cut.tar.bz2"), bytes.substr(0, bytes.size() / 2));
  expect_error_at(data_error([&] { read_molecules(dir.file("cut.tar.bz2")); }), dir.file("cut.tar.bz2"), 0, "archive");

  std::string bad_member = original;
  bad_member.replace(bad_member.find("C\t-0.01"), 1, "Zz");
  testing::write_tar_bz2(dir.file("member.tar.bz2"), {{"mol/dsgdb9nsd_000001.xyz", bad_member}});
  expect_error_at(data_error([&] { read_molecules(dir.file("member.tar.bz2")); }),
                  dir.file("member.tar.bz2") + "(mol/dsgdb9nsd_000001.xyz)", 3, "unknown element 'Zz'");
}

// A line without a newline within 1 MiB fails as soon as the reader has read past 1 MiB of it,
// naming the file and the line: what follows it is never read. Here it is followed by a NUL byte
// (plain) or by a cut in the gzip data, whose own errors a reader that read on would give.
TEST(DataErrors, LinesLongerThanOneMiBFailBeforeTheRestIsRead) {
  const std::string long_line = std::string(3 << 20, 'C');
  const std::string text = "1\n" + kHeader + long_line;
  const std::string problem = "line longer than 1 MiB (1048576 bytes)";
  TempDir dir;
  testing::write_text(dir.file("long.xyz"), text + std::string(1, '\0'));
  expect_error_at(data_error([&] { read_molecules(dir.file("long.xyz")); }), dir.file("long.xyz"), 3, problem);

  testing::write_gzip(dir.file("full.xyz.gz"), text + "\nH 0 0 0\n");
  const std::string bytes = testing::read_file(dir.file("full.xyz.gz"));
  testing::write_text(dir.file("cut.xyz.gz"), bytes.substr(0, bytes.size() - 16));
  expect_error_at(data_error([&] { read_molecules(dir.file("cut.xyz.gz")); }), dir.file("cut.xyz.gz"), 3, problem);

  // A file of one line, the case of a file that is not text at all.
  testing::write_gzip(dir.file("one-line.xyz.gz"), long_line);
  expect_error_at(data_error([&] { read_molecules(dir.file("one-line.xyz.gz")); }), dir.file("one-line.xyz.gz"), 1,
                  problem);

  testing::write_tar_bz2(dir.file("long.tar.bz2"), {{"notes.txt", long_line}, {"mol/long.xyz", text}});
  expect_error_at(data_error([&] { read_molecules(dir.file("long.tar.bz2")); }),
                  dir.file("long.tar.bz2") + "(mol/long.xyz)", 3, problem);

  // A text given whole (not read from a file) is held to the same limit.
  expect_error_at(data_error([&] { parse_molecules(text, "text", "text"); }), "text", 3, problem);
}

TEST(DataErrors, PathsThatHoldNoMolecules) {
  expect_error_at(data_error([] { read_molecules("/nonexistent/qm9.extxyz"); }), "/nonexistent/qm9.extxyz", 0,
                  "no such file or directory");
  TempDir dir;
  expect_error_at(data_error([&] { read_molecules(dir.path()); }), dir.path(), 0, "no molecule files");
  testing::write_text(dir.file("binary.xyz"), std::string("5\n\0\x01\x02", 5));
  expect_error_at(data_error([&] { read_molecules(dir.file("binary.xyz")); }), dir.file("binary.xyz"), 0,
                  "not a text file");
}

}  // namespace
}  // namespace e3::data
