// MoleculeStream gives the molecules read_molecules() gives, in the same order, with the same
// errors, on every kind of source; a large text is read piece by piece.

#include "e3/data/molecule_stream.h"

#include <gtest/gtest.h>

#include <sstream>

#include "data_test_files.h"
#include "e3/data/error.h"
#include "e3/data/read.h"

namespace e3::data {
namespace {

using testing::TempDir;

std::vector<Molecule> streamed(const std::string& path) {
  MoleculeStream stream(path);
  std::vector<Molecule> molecules;
  while (auto molecule = stream.next()) molecules.push_back(std::move(*molecule));
  EXPECT_FALSE(stream.next()) << "the end stays the end";
  return molecules;
}

void expect_same_molecules(const std::vector<Molecule>& a, const std::vector<Molecule>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].atomic_numbers, b[i].atomic_numbers) << a[i].id;
    EXPECT_EQ(a[i].positions, b[i].positions) << a[i].id;
    EXPECT_EQ(a[i].targets, b[i].targets) << a[i].id;
    EXPECT_EQ(a[i].has_target, b[i].has_target) << a[i].id;
    EXPECT_EQ(a[i].source_file, b[i].source_file) << a[i].id;
    EXPECT_EQ(a[i].source_line, b[i].source_line) << a[i].id;
    EXPECT_EQ(a[i].frame, b[i].frame) << a[i].id;
  }
}

// The original file of molecule 1 turned into molecule `index` (only the index changes).
std::string original_with_index(int index) {
  std::string text = testing::read_file(testing::original_qm9_file());
  text.replace(text.find("gdb 1\t"), 6, "gdb " + std::to_string(index) + "\t");
  return text;
}

// The embedded sample decompresses to several MB: read in pieces of 1 MB, frames and lines
// cross the pieces' ends.
TEST(DataMoleculeStream, TheEmbeddedSampleAsReadMoleculesReadsIt) {
  expect_same_molecules(streamed(testing::sample_file()), read_molecules(testing::sample_file()));
}

TEST(DataMoleculeStream, PlainTextWithLongLinesAndCarriageReturns) {
  TempDir dir;
  // A comment line as long as a line may be (1 MiB with its "\r", longer than the first piece
  // and across the end of the next), CRLF line ends, blank lines between frames.
  const std::string comment = "free text " + std::string((1 << 20) - 11, 'x');
  std::ostringstream text;
  for (int frame = 0; frame < 3; ++frame) {
    text << "2\r\n" << (frame == 1 ? comment : "plain") << "\r\nH 0 0 " << frame << "\r\nH 0 0.74 0\r\n\r\n";
  }
  testing::write_text(dir.file("long.xyz"), text.str());
  const auto molecules = streamed(dir.file("long.xyz"));
  expect_same_molecules(molecules, read_molecules(dir.file("long.xyz")));
  ASSERT_EQ(molecules.size(), 3u);
  EXPECT_EQ(molecules[2].positions[2], 2.0);
  EXPECT_EQ(molecules[2].source_line, 11);
}

TEST(DataMoleculeStream, DirectoriesArchivesAndOriginalFiles) {
  TempDir dir;
  testing::write_text(dir.file("dsgdb9nsd_000002.xyz"), original_with_index(2));
  testing::write_text(dir.file("dsgdb9nsd_000001.xyz"), original_with_index(1));
  testing::write_gzip(dir.file("b.extxyz.gz"), "1\nProperties=species:S:1:pos:R:3 gdb=7 mu=0.5\nH 0 0 0\n");
  testing::write_text(dir.file("notes.txt"), "skipped by name\n");
  expect_same_molecules(streamed(dir.path()), read_molecules(dir.path()));
  EXPECT_EQ(streamed(dir.path()).size(), 3u);
  expect_same_molecules(streamed(testing::original_qm9_file()), read_molecules(testing::original_qm9_file()));

  const std::string archive = dir.file("molecules.tar.bz2");
  testing::write_tar_bz2(archive, {{"dsgdb9nsd_000002.xyz", original_with_index(2)},
                                   {"dsgdb9nsd_000001.xyz", original_with_index(1)}});
  expect_same_molecules(streamed(archive), read_molecules(archive));
}

TEST(DataMoleculeStream, BadContentIsTheErrorReadMoleculesGives) {
  TempDir dir;
  // Enough frames before the truncated one that the error comes from a later piece.
  std::ostringstream text;
  for (int frame = 0; frame < 40000; ++frame) text << "2\nplain\nH 0 0 0\nH 0 0 0.74\n";
  text << "3\ntruncated\nH 0 0 0\n";
  testing::write_gzip(dir.file("bad.xyz.gz"), text.str());
  const std::string expected = testing::data_error([&] { read_molecules(dir.file("bad.xyz.gz")); });
  EXPECT_NE(expected.find("truncated file"), std::string::npos) << expected;
  MoleculeStream stream(dir.file("bad.xyz.gz"));
  size_t good = 0;
  const std::string message = testing::data_error([&] {
    while (stream.next()) ++good;
  });
  EXPECT_EQ(message, expected);
  EXPECT_EQ(good, 40000u) << "every molecule before the bad one is given first";

  testing::write_text(dir.file("empty.xyz"), "\n\n");
  EXPECT_EQ(testing::data_error([&] { streamed(dir.file("empty.xyz")); }),
            testing::data_error([&] { read_molecules(dir.file("empty.xyz")); }));
  EXPECT_EQ(testing::data_error([&] { MoleculeStream missing(dir.file("missing.xyz")); }),
            testing::data_error([&] { read_molecules(dir.file("missing.xyz")); }));
  testing::write_text(dir.file("nul.xyz"), std::string("1\nx\nH 0 0 0\n\0\n", 14));
  EXPECT_EQ(testing::data_error([&] { streamed(dir.file("nul.xyz")); }),
            testing::data_error([&] { read_molecules(dir.file("nul.xyz")); }));
}

// A line longer than 1 MiB: the error read_molecules() gives, once the molecules before it
// are given, whether it is the first line (from which the format is told) or a later one.
TEST(DataMoleculeStream, ALineLongerThanOneMiBIsTheErrorReadMoleculesGives) {
  TempDir dir;
  testing::write_gzip(dir.file("one-line.xyz.gz"), std::string(3 << 20, 'C'));
  const std::string first = testing::data_error([&] { streamed(dir.file("one-line.xyz.gz")); });
  EXPECT_EQ(first, testing::data_error([&] { read_molecules(dir.file("one-line.xyz.gz")); }));
  testing::expect_error_at(first, dir.file("one-line.xyz.gz"), 1, "line longer than 1 MiB");

  testing::write_text(dir.file("later.xyz"), "1\nplain\nH 0 0 0\n1\n" + std::string(3 << 20, 'x') + "\nH 0 0 0\n");
  MoleculeStream stream(dir.file("later.xyz"));
  size_t good = 0;
  const std::string later = testing::data_error([&] {
    while (stream.next()) ++good;
  });
  EXPECT_EQ(good, 1u);
  EXPECT_EQ(later, testing::data_error([&] { read_molecules(dir.file("later.xyz")); }));
  testing::expect_error_at(later, dir.file("later.xyz"), 5, "line longer than 1 MiB");
}

}  // namespace
}  // namespace e3::data
