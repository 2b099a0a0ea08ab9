// The training domain of a run (domain.json) and the flags prediction derives from it.

#include "e3/train/training_domain.h"

#include <gtest/gtest.h>

#include "e3/data/dataset.h"
#include "e3/data/error.h"
#include "files.h"

namespace e3::train {
namespace {

data::Molecule molecule_at(std::vector<int64_t> atomic_numbers, std::vector<double> positions) {
  data::Molecule molecule;
  molecule.id = "m";
  molecule.atomic_numbers = std::move(atomic_numbers);
  molecule.positions = std::move(positions);
  return molecule;
}

// CH2 (3 atoms: C, H) and OH3 (4 atoms: O, H), no two atoms closer than 1 A.
data::Dataset two_molecules() {
  std::vector<data::Molecule> molecules = {molecule_at({6, 1, 1}, {0, 0, 0, 1.1, 0, 0, -1.1, 0, 0}),
                                           molecule_at({8, 1, 1, 1}, {0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0})};
  molecules[1].id = "n";
  return data::Dataset(std::move(molecules));
}

TEST(TrainingDomain, SpansTheGivenMoleculesOnly) {
  const auto dataset = two_molecules();
  const auto both = TrainingDomain::of(dataset, {0, 1});
  EXPECT_EQ(both.max_atoms, 4);
  EXPECT_EQ(both.elements, (std::vector<int64_t>{1, 6, 8}));
  const auto first = TrainingDomain::of(dataset, {0});
  EXPECT_EQ(first.max_atoms, 3);
  EXPECT_EQ(first.elements, (std::vector<int64_t>{1, 6}));
}

TEST(TrainingDomain, SavesAndLoads) {
  testing::TempDir dir;
  const auto domain = TrainingDomain::of(two_molecules(), {0, 1});
  domain.save(dir.file("domain.json"));
  const auto loaded = TrainingDomain::load(dir.file("domain.json"));
  EXPECT_EQ(loaded.max_atoms, domain.max_atoms);
  EXPECT_EQ(loaded.elements, domain.elements);
  EXPECT_EQ(loaded.charges, std::vector<int64_t>{0});
}

TEST(TrainingDomain, MalformedFileIsAnErrorNamingIt) {
  testing::TempDir dir;
  for (const std::string text : {"[1]", "{\"max_atoms\": 0, \"elements\": [1]}", "{\"max_atoms\": 3}",
                                 "{\"max_atoms\": 3, \"elements\": [200]}", "{\"max_atoms\": 3, \"elements\": [1], \"charges\": [0.5]}",
                                 "not json"}) {
    testing::write_text(dir.file("domain.json"), text);
    try {
      TrainingDomain::load(dir.file("domain.json"));
      ADD_FAILURE() << "accepted " << text;
    } catch (const data::DataError& error) {
      EXPECT_EQ(std::string(error.what()).rfind(dir.file("domain.json") + ": not a training domain", 0), 0u)
          << error.what();
    }
  }
  EXPECT_THROW(TrainingDomain::load(dir.file("missing.json")), data::DataError);
}

TEST(TrainingDomain, FlagsEachWayOutOfTheDomain) {
  const auto domain = TrainingDomain::of(two_molecules(), {0});  // C and H, at most 3 atoms
  const auto inside = molecule_at({6, 1}, {0, 0, 0, 1.1, 0, 0});
  EXPECT_TRUE(domain_flags(inside, domain).empty());

  const auto coincident = molecule_at({6, 6}, {0, 0, 0, 0, 0, 0.3});
  EXPECT_EQ(domain_flags(coincident, domain), std::vector<DomainFlag>{DomainFlag::coincident_atoms});
  EXPECT_EQ(describe_domain_flag(DomainFlag::coincident_atoms, coincident, domain),
            "atoms 1 (C) and 2 (C) are 0.3 A apart (closer than 0.5 A)");

  const auto larger = molecule_at({6, 1, 1, 1}, {0, 0, 0, 1.1, 0, 0, -1.1, 0, 0, 0, 1.1, 0});
  EXPECT_EQ(domain_flags(larger, domain), std::vector<DomainFlag>{DomainFlag::more_atoms});
  EXPECT_EQ(describe_domain_flag(DomainFlag::more_atoms, larger, domain),
            "4 atoms, more than any training molecule (3)");

  const auto oxygen = molecule_at({8, 1, 9}, {0, 0, 0, 1, 0, 0, -1.4, 0, 0});
  EXPECT_EQ(domain_flags(oxygen, domain), std::vector<DomainFlag>{DomainFlag::unseen_element});
  EXPECT_EQ(describe_domain_flag(DomainFlag::unseen_element, oxygen, domain),
            "elements O, F in no training molecule");

  // All three at once, in DomainFlag order; without a domain only the geometry is judged.
  const auto everything = molecule_at({8, 8, 1, 1}, {0, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0, 0});
  EXPECT_EQ(domain_flags(everything, domain), (std::vector<DomainFlag>{DomainFlag::coincident_atoms,
                                                                       DomainFlag::more_atoms,
                                                                       DomainFlag::unseen_element}));
  EXPECT_EQ(domain_flags(everything, std::nullopt), std::vector<DomainFlag>{DomainFlag::coincident_atoms});
  EXPECT_TRUE(domain_flags(larger, std::nullopt).empty());
}

TEST(TrainingDomain, FlagNamesAreTheWordsPredictPrints) {
  EXPECT_STREQ(domain_flag_name(DomainFlag::coincident_atoms), "coincident_atoms");
  EXPECT_STREQ(domain_flag_name(DomainFlag::more_atoms), "more_atoms");
  EXPECT_STREQ(domain_flag_name(DomainFlag::unseen_element), "unseen_element");
  EXPECT_STREQ(domain_flag_name(DomainFlag::charged), "charged");
}

TEST(TrainingDomain, ChargesNoTrainingMoleculeHadAreFlagged) {
  // QM9's molecules are neutral: a cation is flagged, with or without a domain.json; a domain of
  // charged training molecules accepts their charges, and keeps them through save and load.
  data::Molecule cation = molecule_at({7, 1, 1, 1, 1}, {0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0});
  cation.charge = 1;
  TrainingDomain neutral;
  neutral.max_atoms = 9;
  neutral.elements = {1, 6, 7, 8};
  EXPECT_EQ(domain_flags(cation, neutral), std::vector<DomainFlag>{DomainFlag::charged});
  EXPECT_EQ(domain_flags(cation, std::nullopt), std::vector<DomainFlag>{DomainFlag::charged});
  EXPECT_EQ(describe_domain_flag(DomainFlag::charged, cation, neutral),
            "total charge 1, none of the training molecules' (0)");

  TrainingDomain ions = neutral;
  ions.charges = {-1, 0, 1};
  EXPECT_TRUE(domain_flags(cation, ions).empty());
  testing::TempDir dir;
  ions.save(dir.file("domain.json"));
  EXPECT_EQ(TrainingDomain::load(dir.file("domain.json")).charges, (std::vector<int64_t>{-1, 0, 1}));
}

}  // namespace
}  // namespace e3::train
