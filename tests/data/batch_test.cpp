#include "e3/data/batch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "data_test_files.h"

namespace e3::data {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

const Dataset& sample() {
  static const Dataset dataset = Dataset::read(testing::sample_file());
  return dataset;
}

const std::vector<size_t> kIndices = {3, 0, 1000, 4021, 17};

double distance(const Molecule& molecule, int64_t a, int64_t b) {
  double squared = 0.0;
  for (int k = 0; k < 3; ++k) {
    const double d = molecule.positions[3 * a + k] - molecule.positions[3 * b + k];
    squared += d * d;
  }
  return std::sqrt(squared);
}

TEST(DataBatch, ConcatenatesAtomsInMoleculeOrder) {
  const Batch batch = collate(sample(), kIndices, kInfinity, torch::kFloat64);
  int64_t atoms = 0;
  for (size_t m = 0; m < kIndices.size(); ++m) {
    const Molecule& molecule = sample()[kIndices[m]];
    EXPECT_EQ(batch.atoms_per_molecule[m].item<int64_t>(), molecule.num_atoms());
    for (int64_t a = 0; a < molecule.num_atoms(); ++a) {
      EXPECT_EQ(batch.atomic_numbers[atoms + a].item<int64_t>(), molecule.atomic_numbers[a]);
      EXPECT_EQ(batch.molecule_index[atoms + a].item<int64_t>(), static_cast<int64_t>(m));
      for (int k = 0; k < 3; ++k) {
        EXPECT_EQ(batch.positions[atoms + a][k].item<double>(), molecule.positions[3 * a + k]);
      }
    }
    atoms += molecule.num_atoms();
  }
  EXPECT_EQ(batch.num_atoms(), atoms);
  EXPECT_EQ(batch.num_molecules(), 5);
  EXPECT_EQ(batch.indices, kIndices);
  EXPECT_EQ(batch.positions.sizes(), (std::vector<int64_t>{atoms, 3}));
  EXPECT_EQ(batch.atomic_numbers.dtype(), torch::kInt64);
}

TEST(DataBatch, InfiniteCutoffGivesEveryOrderedPairWithinEachMolecule) {
  const Batch batch = collate(sample(), kIndices, kInfinity, torch::kFloat64);
  int64_t expected = 0;
  for (size_t index : kIndices) expected += sample()[index].num_atoms() * (sample()[index].num_atoms() - 1);
  EXPECT_EQ(batch.num_edges(), expected);
  const auto src = batch.edge_src, dst = batch.edge_dst;
  EXPECT_EQ(src.ne(dst).all().item<bool>(), true);  // no self pairs
  EXPECT_EQ(batch.molecule_index.index({src}).eq(batch.molecule_index.index({dst})).all().item<bool>(),
            true);  // no cross pairs
  // Ordered by dst, so each atom's incoming edges are contiguous.
  EXPECT_EQ((dst.slice(0, 1) >= dst.slice(0, 0, -1)).all().item<bool>(), true);
}

TEST(DataBatch, CutoffIsRespectedStrictly) {
  const double cutoff = 1.5;
  const Batch batch = collate(sample(), kIndices, cutoff, torch::kFloat64);
  const auto vectors = batch.positions.index({batch.edge_src}) - batch.positions.index({batch.edge_dst});
  EXPECT_LT(vectors.norm(2, 1).max().item<double>(), cutoff);
  // Every pair closer than the cutoff is there (counted directly from the molecules).
  int64_t expected = 0;
  for (size_t index : kIndices) {
    const Molecule& molecule = sample()[index];
    for (int64_t a = 0; a < molecule.num_atoms(); ++a) {
      for (int64_t b = 0; b < molecule.num_atoms(); ++b) expected += a != b && distance(molecule, a, b) < cutoff;
    }
  }
  EXPECT_EQ(batch.num_edges(), expected);
  EXPECT_GT(expected, 0);

  // Strictly less: a pair exactly at the cutoff is not an edge.
  Molecule pair;
  pair.id = "pair";
  pair.atomic_numbers = {1, 1};
  pair.positions = {0, 0, 0, 0, 0, 2.0};
  const Dataset two_atoms({pair});
  EXPECT_EQ(collate(two_atoms, {0}, 2.0, torch::kFloat64).num_edges(), 0);
  EXPECT_EQ(collate(two_atoms, {0}, std::nextafter(2.0, 3.0), torch::kFloat64).num_edges(), 2);
}

TEST(DataBatch, TargetsMaskAndDtype) {
  Molecule partial = sample()[0];
  partial.id = "partial";
  partial.has_target.reset(target_index(Target::U0));
  std::vector<Molecule> molecules = {sample()[0], partial};
  const Dataset dataset(std::move(molecules));
  const Batch batch = collate(dataset, {0, 1}, 5.0, torch::kFloat32);
  EXPECT_EQ(batch.positions.dtype(), torch::kFloat32);
  EXPECT_EQ(batch.targets.dtype(), torch::kFloat64);  // float64 whatever the collate dtype
  EXPECT_EQ(batch.target_mask.dtype(), torch::kBool);
  EXPECT_EQ(batch.targets.sizes(), (std::vector<int64_t>{2, 12}));
  EXPECT_EQ(batch.target_mask.sum().item<int64_t>(), 23);
  EXPECT_FALSE(batch.target_mask[1][target_index(Target::U0)].item<bool>());
  EXPECT_EQ(batch.targets[1][target_index(Target::U0)].item<double>(), 0.0);
  EXPECT_EQ(batch.targets[0][target_index(Target::U0)].item<double>(), sample()[0].target(Target::U0));
}

TEST(DataBatch, TinyCutoffGivesNoEdges) {
  const Batch batch = collate(sample(), {0, 1}, 0.01, torch::kFloat64);
  EXPECT_EQ(batch.num_edges(), 0);
  EXPECT_EQ(batch.edge_src.sizes(), (std::vector<int64_t>{0}));
  EXPECT_EQ(batch.edge_dst.sizes(), (std::vector<int64_t>{0}));
}

TEST(DataBatch, RejectsBadArguments) {
  EXPECT_THROW(collate(sample(), {}, 5.0, torch::kFloat64), std::invalid_argument);
  EXPECT_THROW(collate(sample(), {0}, 0.0, torch::kFloat64), std::invalid_argument);
  EXPECT_THROW(collate(sample(), {0}, std::nan(""), torch::kFloat64), std::invalid_argument);
  EXPECT_THROW(collate(sample(), {0}, 5.0, torch::kInt32), std::invalid_argument);
  EXPECT_THROW(collate(sample(), {sample().size()}, 5.0, torch::kFloat64), std::out_of_range);
}

}  // namespace
}  // namespace e3::data
