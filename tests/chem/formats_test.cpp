// The SMILES, CSV and SDF formats as read_molecules() and MoleculeStream read them: ids, lines,
// targets in file units, conformers, gzip, and records that are skipped while the reading goes on.

#include "e3/chem/formats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "chem_test_files.h"
#include "e3/chem/structure.h"
#include "e3/data/elements.h"
#include "e3/data/error.h"
#include "e3/data/molecule_formats.h"
#include "e3/data/molecule_stream.h"
#include "e3/data/read.h"
#include "files.h"

namespace e3::chem {
namespace {

using data::DataError;
using data::Molecule;
using data::MoleculeStream;
using data::read_molecules;
using data::ReadOptions;
using data::SkippedMolecule;
using data::Target;
using e3::testing::data_error;
using e3::testing::TempDir;
using e3::testing::write_text;
using testing::MolAtom;
using testing::MolBond;
using testing::sdf_record;

// Every test reads files of the registered formats.
class ChemFormats : public ::testing::Test {
 protected:
  void SetUp() override { register_formats(); }
  TempDir dir;
};

std::vector<std::string> ids(const std::vector<Molecule>& molecules) {
  std::vector<std::string> result;
  for (const auto& molecule : molecules) result.push_back(molecule.id);
  return result;
}

// The molecules of a MoleculeStream, and the records it skipped.
std::vector<Molecule> streamed(const std::string& path, const ReadOptions& options = {},
                               std::vector<SkippedMolecule>* skipped = nullptr) {
  MoleculeStream stream(path, options);
  std::vector<Molecule> molecules;
  while (auto molecule = stream.next()) molecules.push_back(std::move(*molecule));
  EXPECT_FALSE(stream.next()) << "the end stays the end";
  auto rest = stream.take_skipped();
  if (skipped) skipped->insert(skipped->end(), rest.begin(), rest.end());
  return molecules;
}

// Same atoms, coordinates, ids and targets.
void expect_same_molecules(const std::vector<Molecule>& a, const std::vector<Molecule>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].atomic_numbers, b[i].atomic_numbers) << a[i].id;
    EXPECT_EQ(a[i].positions, b[i].positions) << a[i].id;
    EXPECT_EQ(a[i].targets, b[i].targets) << a[i].id;
    EXPECT_EQ(a[i].has_target, b[i].has_target) << a[i].id;
    EXPECT_EQ(a[i].source_line, b[i].source_line) << a[i].id;
    EXPECT_EQ(a[i].smiles, b[i].smiles) << a[i].id;
    EXPECT_EQ(a[i].charge, b[i].charge) << a[i].id;
    EXPECT_EQ(a[i].geometry, b[i].geometry) << a[i].id;
    EXPECT_EQ(a[i].conformer, b[i].conformer) << a[i].id;
  }
}

EmbeddingOptions embedding(int64_t conformers, int64_t seed = 42) {
  EmbeddingOptions options;
  options.conformers = conformers;
  options.seed = seed;
  return options;
}

// The value a file in QM9's units gives for `target` in Molecule::target()'s units.
double thesis(Target target, double file_value) { return file_value * data::file_to_thesis_factor(target); }

// The line of `text` where its `record`-th SDF record (from 0) starts.
int64_t record_line(const std::string& text, int record) {
  int64_t line = 1;
  size_t at = 0;
  for (int r = 0; r < record; ++r) {
    const size_t end = text.find("$$$$\n", at);
    for (size_t i = at; i < end + 5; ++i) line += text[i] == '\n';
    at = end + 5;
  }
  return line;
}

// Hand-written 3D records: water and methane with explicit hydrogens.
const std::vector<MolAtom> kWater = {
    {"O", 0.0, 0.0, 0.1173}, {"H", 0.0, 0.7572, -0.4692}, {"H", 0.0, -0.7572, -0.4692}};
const std::vector<MolBond> kWaterBonds = {{0, 1, 1}, {0, 2, 1}};
const std::vector<MolAtom> kMethane = {{"C", 0.0, 0.0, 0.0},
                                       {"H", 0.6291, 0.6291, 0.6291},
                                       {"H", -0.6291, -0.6291, 0.6291},
                                       {"H", -0.6291, 0.6291, -0.6291},
                                       {"H", 0.6291, -0.6291, -0.6291}};
const std::vector<MolBond> kMethaneBonds = {{0, 1, 1}, {0, 2, 1}, {0, 3, 1}, {0, 4, 1}};
// Ethanol's heavy atoms drawn in 2D (z = 0), without hydrogens.
const std::vector<MolAtom> kEthanol2D = {{"C", 0.0, 0.0, 0.0}, {"C", 1.299, 0.75, 0.0}, {"O", 2.598, 0.0, 0.0}};
const std::vector<MolBond> kEthanol2DBonds = {{0, 1, 1}, {1, 2, 1}};

void expect_file_coordinates(const Molecule& molecule, const std::vector<MolAtom>& atoms) {
  ASSERT_EQ(molecule.num_atoms(), static_cast<int64_t>(atoms.size())) << molecule.id;
  ASSERT_EQ(molecule.positions.size(), 3 * atoms.size()) << molecule.id;
  for (size_t a = 0; a < atoms.size(); ++a) {
    EXPECT_EQ(molecule.atomic_numbers[a], *data::atomic_number(atoms[a].symbol)) << molecule.id << " atom " << a;
    EXPECT_NEAR(molecule.positions[3 * a], atoms[a].x, 1e-9) << molecule.id << " atom " << a;
    EXPECT_NEAR(molecule.positions[3 * a + 1], atoms[a].y, 1e-9) << molecule.id << " atom " << a;
    EXPECT_NEAR(molecule.positions[3 * a + 2], atoms[a].z, 1e-9) << molecule.id << " atom " << a;
  }
}

TEST_F(ChemFormats, EveryEndingHasItsFormat) {
  for (const char* name :
       {"a.smi", "a.smiles", "a.csv", "a.sdf", "a.sd", "a.mol", "a.smi.gz", "a.csv.gz", "a.sdf.gz"}) {
    EXPECT_NE(data::find_molecule_format(name), nullptr) << name;
  }
  EXPECT_EQ(data::find_molecule_format("a.xyz"), nullptr);
  EXPECT_EQ(data::find_molecule_format("a.extxyz.gz"), nullptr);
  register_formats();  // idempotent
  EXPECT_EQ(data::find_molecule_format("a.smi"), data::find_molecule_format("b.smi"));
}

TEST_F(ChemFormats, SmilesLinesGiveEmbeddedMoleculesNamedByTheirSecondField) {
  const std::string path = dir.file("a.smi");
  write_text(path, "CCO ethanol\nCC(=O)[O-]\tacetate\nO water\n");
  const auto molecules = read_molecules(path);
  ASSERT_EQ(ids(molecules), (std::vector<std::string>{"ethanol", "acetate", "water"}));
  const Molecule& ethanol = molecules[0];
  const Structure structure = structure_from_smiles("CCO", {});
  EXPECT_EQ(ethanol.atomic_numbers, structure.atomic_numbers);
  EXPECT_EQ(ethanol.positions, structure.conformers[0]) << "the reader embeds as structure_from_smiles() does";
  EXPECT_EQ(ethanol.num_atoms(), 9);
  EXPECT_EQ(ethanol.smiles, "CCO");
  EXPECT_EQ(ethanol.charge, 0);
  EXPECT_EQ(ethanol.geometry, "ETKDG+MMFF94");
  EXPECT_EQ(ethanol.conformer, 0);
  EXPECT_EQ(ethanol.source_file, path);
  EXPECT_EQ(ethanol.source_line, 1);
  EXPECT_TRUE(ethanol.has_target.none());
  EXPECT_EQ(molecules[1].charge, -1);
  EXPECT_EQ(molecules[1].num_atoms(), 7);
  EXPECT_EQ(molecules[1].source_line, 2);
  EXPECT_EQ(molecules[1].geometry, "ETKDG+MMFF94");
  EXPECT_EQ(molecules[2].atomic_numbers, (std::vector<int64_t>{8, 1, 1}));
  EXPECT_EQ(molecules[2].source_line, 3);
  expect_same_molecules(streamed(path), molecules);
}

TEST_F(ChemFormats, SmilesFilesSkipBlankLinesCommentsAndAHeader) {
  const std::string path = dir.file("b.smi");
  write_text(path, "smiles name\n# a comment\n\nCCO ethanol\n   \n#CC not this one\nCO methanol\n");
  const auto molecules = read_molecules(path);
  ASSERT_EQ(ids(molecules), (std::vector<std::string>{"ethanol", "methanol"}));
  EXPECT_EQ(molecules[0].source_line, 4);
  EXPECT_EQ(molecules[1].source_line, 7);
  // The header in any case, separated by a tab; CRLF line ends.
  write_text(dir.file("c.smi"), "SMILES\tName\r\nC methane\r\n");
  const auto methane = read_molecules(dir.file("c.smi"));
  ASSERT_EQ(ids(methane), (std::vector<std::string>{"methane"}));
  EXPECT_EQ(methane[0].num_atoms(), 5);
  EXPECT_EQ(methane[0].source_line, 2);
}

TEST_F(ChemFormats, SmilesWithoutNamesGetIdsOfTheirOwn) {
  const std::string path = dir.file("plain.smi");
  write_text(path, "CCO\nCO\nC\n");
  const auto molecules = read_molecules(path);
  ASSERT_EQ(molecules.size(), 3u);
  const auto names = ids(molecules);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 3u) << "ids are unique";
  for (const auto& id : names) EXPECT_FALSE(id.empty());
  EXPECT_EQ(molecules[1].smiles, "CO");
  EXPECT_EQ(molecules[2].source_line, 3);
}

TEST_F(ChemFormats, ConformersAreMoleculesOfTheirOwn) {
  const std::string path = dir.file("a.smi");
  write_text(path, "CCCO propanol\nO water\n");
  ReadOptions options;
  options.conformers = 2;
  const auto molecules = read_molecules(path, options);
  ASSERT_EQ(ids(molecules), (std::vector<std::string>{"propanol:0", "propanol:1", "water:0", "water:1"}));
  EXPECT_EQ(molecules[0].conformer, 0);
  EXPECT_EQ(molecules[1].conformer, 1);
  EXPECT_EQ(molecules[3].conformer, 1);
  EXPECT_EQ(molecules[0].source_line, 1);
  EXPECT_EQ(molecules[1].source_line, 1);
  EXPECT_EQ(molecules[2].source_line, 2);
  EXPECT_EQ(molecules[3].source_line, 2);
  EXPECT_EQ(molecules[1].geometry, "ETKDG+MMFF94");
  EXPECT_EQ(molecules[1].smiles, "CCCO");
  EXPECT_NE(molecules[0].positions, molecules[1].positions);
  const Structure structure = structure_from_smiles("CCCO", embedding(2));
  EXPECT_EQ(molecules[0].positions, structure.conformers[0]);
  EXPECT_EQ(molecules[1].positions, structure.conformers[1]);
  expect_same_molecules(streamed(path, options), molecules);
  // The seed makes the coordinates: another seed, others.
  options.embedding_seed = 5;
  const auto reseeded = read_molecules(path, options);
  ASSERT_EQ(reseeded.size(), 4u);
  EXPECT_NE(reseeded[0].positions, molecules[0].positions);
  EXPECT_EQ(reseeded[0].positions, structure_from_smiles("CCCO", embedding(2, 5)).conformers[0]);
}

// A line RDKit cannot read is skipped: the stream gives its neighbours and tells where it was.
TEST_F(ChemFormats, ABadSmilesLineIsSkippedAndTheReadingGoesOn) {
  const std::string path = dir.file("bad.smi");
  write_text(path, "CCO ethanol\nC1CC broken\nCO methanol\nC(C)(C)(C)(C)C pentavalent\n");
  MoleculeStream stream(path);
  auto first = stream.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, "ethanol");
  EXPECT_TRUE(stream.take_skipped().empty());
  auto second = stream.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, "methanol");
  EXPECT_EQ(second->source_line, 3);
  auto skipped = stream.take_skipped();
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].reason, "bad_smiles");
  EXPECT_EQ(skipped[0].source_file, path);
  EXPECT_EQ(skipped[0].source_line, 2);
  EXPECT_EQ(skipped[0].id, "broken");
  EXPECT_EQ(skipped[0].before, 1);
  EXPECT_FALSE(skipped[0].detail.empty());
  EXPECT_FALSE(stream.next());
  skipped = stream.take_skipped();
  ASSERT_EQ(skipped.size(), 1u) << "the valence error of the last line";
  EXPECT_EQ(skipped[0].reason, "bad_smiles");
  EXPECT_EQ(skipped[0].source_line, 4);
  EXPECT_EQ(skipped[0].id, "pentavalent");
  EXPECT_EQ(skipped[0].before, 2);
  EXPECT_TRUE(stream.take_skipped().empty());

  // read_molecules() skips them the same way into the list it is given.
  std::vector<SkippedMolecule> listed;
  const auto molecules = read_molecules(path, {}, &listed);
  EXPECT_EQ(ids(molecules), (std::vector<std::string>{"ethanol", "methanol"}));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].source_line, 2);
  EXPECT_EQ(listed[0].before, 1);
  EXPECT_EQ(listed[1].source_line, 4);
  EXPECT_EQ(listed[1].before, 2);
}

// SMILES are embedded 64 records at a time over ReadOptions::threads: more than one batch, with
// bad lines among them, gives the same molecules and skipped records in the same order however
// many threads embed them.
TEST_F(ChemFormats, ThreadsEmbeddingSmilesChangeNothingButTheTime) {
  const std::string path = dir.file("many.smi");
  std::string text;
  const std::vector<std::string> parts = {"C", "CO", "CN", "C=O", "CC#N"};
  for (int line = 1; line <= 150; ++line) {
    std::string smiles = std::string(static_cast<size_t>(1 + line % 4), 'C') + parts[static_cast<size_t>(line) % parts.size()];
    if (line % 37 == 0) smiles = "C1CC";  // unclosed ring
    text += smiles + " m" + std::to_string(line) + "\n";
  }
  write_text(path, text);
  ReadOptions one, three;
  three.threads = 3;
  std::vector<SkippedMolecule> skipped_one, skipped_three;
  const auto serial = streamed(path, one, &skipped_one);
  const auto parallel = streamed(path, three, &skipped_three);
  EXPECT_EQ(serial.size(), 146u);
  expect_same_molecules(serial, parallel);
  ASSERT_EQ(skipped_one.size(), 4u);
  ASSERT_EQ(skipped_three.size(), 4u);
  for (size_t s = 0; s < skipped_one.size(); ++s) {
    EXPECT_EQ(skipped_one[s].source_line, 37 * static_cast<int64_t>(s + 1));
    EXPECT_EQ(skipped_one[s].before, 37 * static_cast<int64_t>(s + 1) - static_cast<int64_t>(s) - 1);
    EXPECT_EQ(skipped_three[s].source_line, skipped_one[s].source_line);
    EXPECT_EQ(skipped_three[s].before, skipped_one[s].before);
  }
}

TEST_F(ChemFormats, ReadMoleculesWithoutASkippedListFailsAtTheBadLine) {
  const std::string path = dir.file("bad.smi");
  write_text(path, "CCO ethanol\nC1CC broken\nCO methanol\n");
  const std::string message = data_error([&] { read_molecules(path); });
  EXPECT_EQ(message.rfind(path + ":2: ", 0), 0u) << message;
  EXPECT_NE(message.find("bad_smiles"), std::string::npos) << message;
  EXPECT_NE(message.find("broken"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
}

TEST_F(ChemFormats, AFileOfOnlyBadSmilesHasNoMolecules) {
  const std::string path = dir.file("all-bad.smi");
  write_text(path, "C1CC a\nC1CC b\n");
  std::vector<SkippedMolecule> skipped;
  const std::string message = data_error([&] { read_molecules(path, {}, &skipped); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_EQ(skipped.size(), 2u);
  std::vector<SkippedMolecule> from_stream;
  EXPECT_TRUE(streamed(path, {}, &from_stream).empty());
  EXPECT_EQ(from_stream.size(), 2u);
}

TEST_F(ChemFormats, CsvColumnsGiveSmilesIdsAndTargetsInFileUnits) {
  const std::string path = dir.file("a.csv");
  write_text(path, "smiles,name,mu,U0,note\nCCO,ethanol,1.69,-155.03,liquid\nCO,methanol,1.70,-115.70,x\n");
  const auto molecules = read_molecules(path);
  ASSERT_EQ(ids(molecules), (std::vector<std::string>{"ethanol", "methanol"}));
  EXPECT_EQ(molecules[0].num_atoms(), 9);
  EXPECT_EQ(molecules[0].smiles, "CCO");
  EXPECT_EQ(molecules[0].geometry, "ETKDG+MMFF94");
  EXPECT_EQ(molecules[0].source_line, 2);
  EXPECT_EQ(molecules[1].source_line, 3);
  EXPECT_DOUBLE_EQ(molecules[0].target(Target::mu), 1.69);
  // U0 is in Hartree in the file, in eV in the molecule.
  EXPECT_DOUBLE_EQ(molecules[0].target(Target::U0), thesis(Target::U0, -155.03));
  EXPECT_NEAR(molecules[1].target(Target::U0), -115.70 * 27.211386, 1e-3);
  EXPECT_FALSE(molecules[0].has(Target::alpha));
  EXPECT_EQ(molecules[0].has_target.count(), 2u);
  expect_same_molecules(streamed(path), molecules);
  // An "id" column names them too, in any column order.
  write_text(dir.file("b.csv"), "id,smiles\n17,CCO\n18,CO\n");
  EXPECT_EQ(ids(read_molecules(dir.file("b.csv"))), (std::vector<std::string>{"17", "18"}));
}

TEST_F(ChemFormats, CsvTargetColumnsAndTheSmilesColumnAreOptions) {
  const std::string path = dir.file("a.csv");
  write_text(path, "smiles,name,dipole,mu\nCCO,ethanol,1.5,9.9\n");
  EXPECT_DOUBLE_EQ(read_molecules(path)[0].target(Target::mu), 9.9) << "by the target's own name";
  ReadOptions options;
  options.target_columns = {{Target::mu, "dipole"}};
  EXPECT_DOUBLE_EQ(read_molecules(path, options)[0].target(Target::mu), 1.5) << "by target_columns";
  EXPECT_DOUBLE_EQ(streamed(path, options)[0].target(Target::mu), 1.5);
  options.target_columns = data::parse_target_columns("mu=dipole,U0=energy");
  write_text(dir.file("b.csv"), "smiles,name,dipole,energy\nCCO,ethanol,1.5,-155.03\n");
  const auto mapped = read_molecules(dir.file("b.csv"), options);
  EXPECT_DOUBLE_EQ(mapped[0].target(Target::mu), 1.5);
  EXPECT_DOUBLE_EQ(mapped[0].target(Target::U0), thesis(Target::U0, -155.03));
  // Without the mapping, a column of another name is no target.
  EXPECT_FALSE(read_molecules(dir.file("b.csv"))[0].has(Target::mu));
  // The SMILES from a column of another name.
  write_text(dir.file("c.csv"), "name,structure\nwater,O\n");
  ReadOptions structure_column;
  structure_column.smiles_column = "structure";
  const auto water = read_molecules(dir.file("c.csv"), structure_column);
  ASSERT_EQ(water.size(), 1u);
  EXPECT_EQ(water[0].id, "water");
  EXPECT_EQ(water[0].atomic_numbers, (std::vector<int64_t>{8, 1, 1}));
}

TEST_F(ChemFormats, ACsvWithoutTheSmilesColumnIsADataErrorNamingTheFile) {
  const std::string path = dir.file("no-smiles.csv");
  write_text(path, "name,mu\nethanol,1.0\n");
  const std::string message = data_error([&] { read_molecules(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("smiles"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
  const std::string streamed_message = data_error([&] { streamed(path); });
  EXPECT_NE(streamed_message.find(path), std::string::npos) << streamed_message;
  ReadOptions options;
  options.smiles_column = "structure";
  const std::string renamed = data_error([&] { read_molecules(dir.file("no-smiles.csv"), options); });
  EXPECT_NE(renamed.find("structure"), std::string::npos) << renamed;
}

// An empty cell leaves the target unknown for that molecule; a cell that is not a number or a
// row with another number of fields is a DataError naming the line.
TEST_F(ChemFormats, CsvCellsAreCheckedLineByLine) {
  write_text(dir.file("gaps.csv"), "smiles,name,mu\nCCO,ethanol,\nCO,methanol,1.7\n");
  const auto gaps = read_molecules(dir.file("gaps.csv"));
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_FALSE(gaps[0].has(Target::mu));
  EXPECT_DOUBLE_EQ(gaps[1].target(Target::mu), 1.7);
  // A quoted name with a comma.
  write_text(dir.file("quoted.csv"), "smiles,name\nCCO,\"ethanol, dry\"\n");
  EXPECT_EQ(ids(read_molecules(dir.file("quoted.csv"))), (std::vector<std::string>{"ethanol, dry"}));
  write_text(dir.file("text.csv"), "smiles,name,mu\nCO,methanol,1.7\nCCO,ethanol,large\n");
  const std::string text = data_error([&] { read_molecules(dir.file("text.csv")); });
  EXPECT_EQ(text.rfind(dir.file("text.csv") + ":3: ", 0), 0u) << text;
  EXPECT_NE(text.find("mu"), std::string::npos) << text;
  write_text(dir.file("fields.csv"), "smiles,name\nCO,methanol\nCCO,ethanol,extra\n");
  const std::string fields = data_error([&] { read_molecules(dir.file("fields.csv")); });
  EXPECT_EQ(fields.rfind(dir.file("fields.csv") + ":3: ", 0), 0u) << fields;
}

TEST_F(ChemFormats, ABadSmilesRowOfACsvIsSkipped) {
  const std::string path = dir.file("bad.csv");
  write_text(path, "smiles,name,mu\nCCO,ethanol,1.69\nC1CC,broken,1.0\nCO,methanol,1.70\n");
  std::vector<SkippedMolecule> skipped;
  const auto molecules = streamed(path, {}, &skipped);
  EXPECT_EQ(ids(molecules), (std::vector<std::string>{"ethanol", "methanol"}));
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].reason, "bad_smiles");
  EXPECT_EQ(skipped[0].source_line, 3);
  EXPECT_EQ(skipped[0].id, "broken");
  EXPECT_EQ(skipped[0].before, 1);
  EXPECT_EQ(data_error([&] { read_molecules(path); }).rfind(path + ":3: ", 0), 0u);
}

TEST_F(ChemFormats, GzipFilesReadAsPlainOnes) {
  const std::string smi = "CCO ethanol\nC1CC broken\nc1ccccc1 benzene\n";
  write_text(dir.file("a.smi"), smi);
  testing::write_gzip(dir.file("a.smi.gz"), smi);
  std::vector<SkippedMolecule> plain_skipped, gzip_skipped;
  const auto plain = read_molecules(dir.file("a.smi"), {}, &plain_skipped);
  const auto compressed = read_molecules(dir.file("a.smi.gz"), {}, &gzip_skipped);
  expect_same_molecules(compressed, plain);
  ASSERT_EQ(compressed.size(), 2u);
  EXPECT_EQ(compressed[1].source_file, dir.file("a.smi.gz"));
  ASSERT_EQ(gzip_skipped.size(), 1u);
  EXPECT_EQ(gzip_skipped[0].source_line, 2);
  expect_same_molecules(streamed(dir.file("a.smi.gz")), plain);

  const std::string csv = "smiles,name,mu\nCCO,ethanol,1.69\nCO,methanol,1.70\n";
  write_text(dir.file("a.csv"), csv);
  testing::write_gzip(dir.file("a.csv.gz"), csv);
  expect_same_molecules(read_molecules(dir.file("a.csv.gz")), read_molecules(dir.file("a.csv")));
}

TEST_F(ChemFormats, SdfCoordinatesAreUsedAsTheFileGivesThem) {
  const std::string path = dir.file("a.sdf");
  const std::string text = sdf_record("water", kWater, kWaterBonds, {{"mu", "1.85"}, {"U0", "-76.40"}}) +
                           sdf_record("methane", kMethane, kMethaneBonds, {{"mu", "0.0"}});
  write_text(path, text);
  const auto molecules = read_molecules(path);
  ASSERT_EQ(ids(molecules), (std::vector<std::string>{"water", "methane"}));
  expect_file_coordinates(molecules[0], kWater);
  expect_file_coordinates(molecules[1], kMethane);
  for (const auto& m : molecules) {
    EXPECT_EQ(m.geometry, "") << m.id << ": no re-embedding";
    EXPECT_EQ(m.conformer, -1) << m.id;
    EXPECT_EQ(m.charge, 0) << m.id;
    EXPECT_EQ(m.source_file, path) << m.id;
  }
  EXPECT_EQ(molecules[0].smiles, "O");
  EXPECT_EQ(molecules[1].smiles, "C");
  EXPECT_EQ(molecules[0].source_line, 1);
  EXPECT_EQ(molecules[1].source_line, record_line(text, 1));
  EXPECT_DOUBLE_EQ(molecules[0].target(Target::mu), 1.85);
  EXPECT_DOUBLE_EQ(molecules[0].target(Target::U0), thesis(Target::U0, -76.40));
  EXPECT_DOUBLE_EQ(molecules[1].target(Target::mu), 0.0);
  EXPECT_FALSE(molecules[1].has(Target::U0));
  expect_same_molecules(streamed(path), molecules);
  // Conformers are for structures without coordinates: a 3D record stays one molecule.
  ReadOptions options;
  options.conformers = 3;
  expect_same_molecules(read_molecules(path, options), molecules);
}

TEST_F(ChemFormats, SdfTargetsFromPropertiesOfOtherNames) {
  const std::string path = dir.file("a.sdf");
  write_text(path, sdf_record("water", kWater, kWaterBonds, {{"dipole", "1.85"}, {"energy", "-76.40"}}));
  EXPECT_TRUE(read_molecules(path)[0].has_target.none());
  ReadOptions options;
  options.target_columns = {{Target::mu, "dipole"}, {Target::U0, "energy"}};
  const auto water = read_molecules(path, options);
  EXPECT_DOUBLE_EQ(water[0].target(Target::mu), 1.85);
  EXPECT_DOUBLE_EQ(water[0].target(Target::U0), thesis(Target::U0, -76.40));
}

// Checks a molecule embedded from ethanol's heavy atoms: hydrogens added, 3D coordinates.
void expect_embedded_ethanol(const Molecule& m) {
  EXPECT_EQ(m.num_atoms(), 9) << m.id << ": hydrogens added";
  EXPECT_EQ(m.geometry, "ETKDG+MMFF94") << m.id;
  EXPECT_EQ(m.conformer, 0) << m.id;
  EXPECT_EQ(m.smiles, "CCO") << m.id;
  ASSERT_EQ(m.positions.size(), 3 * m.atomic_numbers.size()) << m.id;
  double z_range = 0;
  for (int64_t a = 0; a < m.num_atoms(); ++a) {
    z_range = std::max(z_range, std::abs(m.positions[3 * a + 2] - m.positions[2]));
  }
  EXPECT_GT(z_range, 0.5) << m.id << ": 3D coordinates";
  EXPECT_NEAR(testing::distance(m.positions, 0, 1), 1.52, 0.05) << m.id << ": C-C";
}

TEST_F(ChemFormats, SdfRecordsDrawnIn2DAreEmbedded) {
  const std::string path = dir.file("flat.sdf");
  write_text(path, sdf_record("ethanol", kEthanol2D, kEthanol2DBonds, {{"mu", "1.69"}}, /*three_d=*/false));
  const auto molecules = read_molecules(path);
  ASSERT_EQ(ids(molecules), (std::vector<std::string>{"ethanol"}));
  expect_embedded_ethanol(molecules[0]);
  EXPECT_DOUBLE_EQ(molecules[0].target(Target::mu), 1.69);
  ReadOptions options;
  options.conformers = 2;
  const auto conformers = read_molecules(path, options);
  ASSERT_EQ(ids(conformers), (std::vector<std::string>{"ethanol:0", "ethanol:1"}));
  EXPECT_EQ(conformers[1].conformer, 1);
  EXPECT_DOUBLE_EQ(conformers[1].target(Target::mu), 1.69);
}

// A record whose coordinates are all zero has none, whatever its header line says (formats.h:
// "records without them (2D or all zero) are embedded"); RDKit keeps the "3D" of the header.
TEST_F(ChemFormats, SdfRecordsWithAllCoordinatesZeroAreEmbedded) {
  const std::string path = dir.file("zeros.sdf");
  std::vector<MolAtom> zeros = kEthanol2D;
  for (auto& atom : zeros) atom.x = atom.y = atom.z = 0;
  write_text(path, sdf_record("zeros-2d", zeros, kEthanol2DBonds, {}, /*three_d=*/false) +
                       sdf_record("zeros-3d", zeros, kEthanol2DBonds, {}, /*three_d=*/true));
  const auto molecules = read_molecules(path);
  ASSERT_EQ(ids(molecules), (std::vector<std::string>{"zeros-2d", "zeros-3d"}));
  expect_embedded_ethanol(molecules[0]);
  expect_embedded_ethanol(molecules[1]);
}

TEST_F(ChemFormats, SdfGzipAndMolFiles) {
  const std::string text =
      sdf_record("water", kWater, kWaterBonds, {{"mu", "1.85"}}) + sdf_record("methane", kMethane, kMethaneBonds);
  write_text(dir.file("a.sdf"), text);
  testing::write_gzip(dir.file("a.sdf.gz"), text);
  const auto compressed = read_molecules(dir.file("a.sdf.gz"));
  expect_same_molecules(compressed, read_molecules(dir.file("a.sdf")));
  EXPECT_EQ(compressed[0].source_file, dir.file("a.sdf.gz"));
  expect_same_molecules(streamed(dir.file("a.sdf.gz")), compressed);
  // A MOL file: one record, without the "$$$$" line.
  std::string mol = sdf_record("water", kWater, kWaterBonds);
  mol.resize(mol.find("$$$$"));
  write_text(dir.file("water.mol"), mol);
  const auto water = read_molecules(dir.file("water.mol"));
  ASSERT_EQ(water.size(), 1u);
  expect_file_coordinates(water[0], kWater);
}

TEST_F(ChemFormats, AnSdfRecordWithoutATitleIsNamedByItsFileAndRecord) {
  const std::string path = dir.file("untitled.sdf");
  write_text(path, sdf_record("", kWater, kWaterBonds) + sdf_record("", kMethane, kMethaneBonds));
  const auto molecules = read_molecules(path);
  ASSERT_EQ(molecules.size(), 2u);
  EXPECT_NE(molecules[0].id.find("untitled.sdf#"), std::string::npos) << molecules[0].id;
  EXPECT_NE(molecules[1].id.find("untitled.sdf#"), std::string::npos) << molecules[1].id;
  EXPECT_NE(molecules[0].id, molecules[1].id);
}

// A record RDKit cannot read (no counts line) or sanitize (a carbon with five bonds) is
// skipped as bad_structure; the records after it are read.
TEST_F(ChemFormats, ABrokenSdfRecordIsSkippedAndTheNextOneRead) {
  const std::string path = dir.file("broken.sdf");
  const std::vector<MolAtom> pentavalent = {{"C", 0, 0, 0},    {"H", 1.09, 0, 0},  {"H", -1.09, 0, 0},
                                            {"H", 0, 1.09, 0}, {"H", 0, -1.09, 0}, {"H", 0, 0, 1.09}};
  const std::vector<MolBond> five = {{0, 1, 1}, {0, 2, 1}, {0, 3, 1}, {0, 4, 1}, {0, 5, 1}};
  const std::string text =
      sdf_record("water", kWater, kWaterBonds) + "garbage\n  e3-test\n\nthis is not a counts line\nM  END\n$$$$\n" +
      sdf_record("pentavalent", pentavalent, five) + sdf_record("methane", kMethane, kMethaneBonds);
  write_text(path, text);
  std::vector<SkippedMolecule> skipped;
  const auto molecules = streamed(path, {}, &skipped);
  ASSERT_EQ(ids(molecules), (std::vector<std::string>{"water", "methane"}));
  expect_file_coordinates(molecules[1], kMethane);
  EXPECT_EQ(molecules[1].source_line, record_line(text, 3));
  ASSERT_EQ(skipped.size(), 2u);
  for (size_t s = 0; s < 2; ++s) {
    EXPECT_EQ(skipped[s].reason, "bad_structure") << s;
    EXPECT_EQ(skipped[s].source_file, path) << s;
    EXPECT_EQ(skipped[s].source_line, record_line(text, int(s) + 1)) << s;
    EXPECT_EQ(skipped[s].before, 1) << s;
    EXPECT_FALSE(skipped[s].detail.empty()) << s;
  }
  std::vector<SkippedMolecule> listed;
  EXPECT_EQ(read_molecules(path, {}, &listed).size(), 2u);
  EXPECT_EQ(listed.size(), 2u);
  const std::string message = data_error([&] { read_molecules(path); });
  EXPECT_EQ(message.rfind(path + ":" + std::to_string(record_line(text, 1)) + ": ", 0), 0u) << message;
  EXPECT_NE(message.find("bad_structure"), std::string::npos) << message;
}

}  // namespace
}  // namespace e3::chem
