// read_molecules() on every kind of source: single files, directories, archives, gzip, and
// the embedded sample.

#include "e3/data/read.h"

#include <gtest/gtest.h>

#include "data_test_files.h"
#include "e3/data/dataset.h"

namespace e3::data {
namespace {

using testing::TempDir;

// The original file of molecule 1 turned into molecule `index` (only the index changes).
std::string original_with_index(int index) {
  std::string text = testing::read_file(testing::original_qm9_file());
  text.replace(text.find("gdb 1\t"), 6, "gdb " + std::to_string(index) + "\t");
  return text;
}

std::vector<std::string> ids(const std::vector<Molecule>& molecules) {
  std::vector<std::string> result;
  for (const auto& molecule : molecules) result.push_back(molecule.id);
  return result;
}

TEST(DataRead, SingleOriginalFile) {
  const auto molecules = read_molecules(testing::original_qm9_file());
  ASSERT_EQ(molecules.size(), 1u);
  EXPECT_EQ(molecules[0].id, "1");
  EXPECT_EQ(molecules[0].source_file, testing::original_qm9_file());
}

TEST(DataRead, DirectoryOfOriginalFilesInNameOrder) {
  TempDir dir;
  testing::write_text(dir.file("dsgdb9nsd_000003.xyz"), original_with_index(3));
  testing::write_text(dir.file("dsgdb9nsd_000001.xyz"), original_with_index(1));
  testing::write_text(dir.file("dsgdb9nsd_000002.xyz"), original_with_index(2));
  testing::write_text(dir.file("README.txt"), "not a molecule file: skipped by name\n");
  const auto molecules = read_molecules(dir.path());
  EXPECT_EQ(ids(molecules), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(molecules[1].source_file, dir.file("dsgdb9nsd_000002.xyz"));
}

TEST(DataRead, Bzip2TarArchiveLikeQm9sDownload) {
  TempDir dir;
  const std::string archive = dir.file("dsgdb9nsd.xyz.tar.bz2");
  testing::write_tar_bz2(archive, {{"dsgdb9nsd_000002.xyz", original_with_index(2)},
                                   {"dsgdb9nsd_000001.xyz", original_with_index(1)},
                                   {"readme", "skipped by name"}});
  const auto molecules = read_molecules(archive);
  EXPECT_EQ(ids(molecules), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(molecules[0].source_file, archive + "(dsgdb9nsd_000001.xyz)");
  EXPECT_EQ(molecules[0].atomic_numbers, (std::vector<int64_t>{6, 1, 1, 1, 1}));
}

TEST(DataRead, GzipCompressedAndPlainExtendedXyzAgree) {
  TempDir dir;
  const std::string text =
      "1\nProperties=species:S:1:pos:R:3 gdb=7 U0=-0.5\nH 0 0 0\n2\nProperties=species:S:1:pos:R:3 gdb=8 mu=1\n"
      "H 0 0 0\nH 0 0 0.74\n";
  testing::write_gzip(dir.file("a.extxyz.gz"), text);
  testing::write_text(dir.file("a.extxyz"), text);
  const auto compressed = read_molecules(dir.file("a.extxyz.gz"));
  const auto plain = read_molecules(dir.file("a.extxyz"));
  ASSERT_EQ(compressed.size(), 2u);
  EXPECT_EQ(ids(compressed), ids(plain));
  EXPECT_EQ(compressed[1].positions, plain[1].positions);
  EXPECT_EQ(compressed[0].source_file, dir.file("a.extxyz.gz"));
}

TEST(DataRead, TheEmbeddedSample) {
  const Dataset sample = Dataset::read(testing::sample_file());
  EXPECT_EQ(sample.size(), 5022u);  // every 20th of the 100,436 frames
  for (const auto& molecule : sample) {
    ASSERT_TRUE(molecule.has_target.all()) << molecule.id;
    ASSERT_EQ(molecule.positions.size(), 3 * molecule.atomic_numbers.size());
  }
  // Frame 0 is QM9's molecule 1: the same numbers as in the original file.
  const Molecule original = read_molecules(testing::original_qm9_file())[0];
  const Molecule& first = sample[*sample.find("1")];
  EXPECT_EQ(first.atomic_numbers, original.atomic_numbers);
  for (size_t i = 0; i < original.positions.size(); ++i) EXPECT_EQ(first.positions[i], original.positions[i]);
  for (Target target : all_targets()) EXPECT_EQ(first.target(target), original.target(target)) << target_name(target);
}

}  // namespace
}  // namespace e3::data
