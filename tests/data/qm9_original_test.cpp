#include <gtest/gtest.h>

#include "data_test_files.h"
#include "e3/data/qm9_original_reader.h"

namespace e3::data {
namespace {

TEST(DataOriginalQm9, ReadsMolecule1WithTabsAndMullikenCharges) {
  const std::string text = testing::read_file(testing::original_qm9_file());
  ASSERT_NE(text.find('\t'), std::string::npos) << "the fixture must keep QM9's tabs";
  ASSERT_TRUE(is_qm9_original(text));
  const Molecule molecule = parse_qm9_original(text, "dsgdb9nsd_000001.xyz");
  EXPECT_EQ(molecule.id, "1");
  EXPECT_EQ(molecule.atomic_numbers, (std::vector<int64_t>{6, 1, 1, 1, 1}));
  EXPECT_EQ(molecule.positions, (std::vector<double>{-0.0126981359, 1.0858041578, 0.0080009958,  //
                                                     0.002150416, -0.0060313176, 0.0019761204,   //
                                                     1.0117308433, 1.4637511618, 0.0002765748,   //
                                                     -0.540815069, 1.4475266138, -0.8766437152,  //
                                                     -0.5238136345, 1.4379326443, 0.9063972942}));
  EXPECT_TRUE(molecule.has_target.all());
  // Line 2: gdb 1, A B C, then mu alpha homo lumo gap r2 zpve U0 U H G Cv.
  const double file_values[] = {0.0,      13.21,     -0.3877,    0.1171,     0.5048,     35.3641,
                                0.044749, -40.47893, -40.476062, -40.475117, -40.498597, 6.469};
  for (Target target : all_targets()) {
    EXPECT_DOUBLE_EQ(molecule.target(target), file_values[target_index(target)] * file_to_thesis_factor(target))
        << target_name(target);
  }
  EXPECT_EQ(molecule.source_file, "dsgdb9nsd_000001.xyz");
  EXPECT_EQ(molecule.source_line, 1);
}

TEST(DataOriginalQm9, AcceptsMathematicaExponents) {
  std::string text = testing::read_file(testing::original_qm9_file());
  // QM9 writes small numbers the Mathematica way, in coordinates, charges and properties.
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{{"0.002150416", "2.150416*^-3"},
                                                                                 {"0.0019761204", "1.9761204*^-3"},
                                                                                 {"0.133921", "1.33921*^-1"},
                                                                                 {"\t0.\t", "\t1.5*^-7\t"}}) {
    ASSERT_NE(text.find(from), std::string::npos) << from;
    text.replace(text.find(from), from.size(), to);
  }
  const Molecule molecule = parse_qm9_original(text, "m.xyz");
  EXPECT_EQ(molecule.positions[3], 2.150416e-3);
  EXPECT_EQ(molecule.positions[5], 1.9761204e-3);
  EXPECT_EQ(molecule.target(Target::mu), 1.5e-7);
}

TEST(DataOriginalQm9, TellsTheFormatFromTheSecondLine) {
  EXPECT_TRUE(is_qm9_original("5\ngdb 1\t157.7\n"));
  EXPECT_TRUE(is_qm9_original("5\ngdb\t1\n"));
  EXPECT_FALSE(is_qm9_original("5\ngdb=1 mu=0\n"));
  EXPECT_FALSE(is_qm9_original("5\nProperties=species:S:1:pos:R:3 gdb=1\n"));
  EXPECT_FALSE(is_qm9_original("5"));
}

}  // namespace
}  // namespace e3::data
