#include "e3/data/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "e3/data/atom_refs.h"
#include "e3/data/summary.h"

namespace e3::data {
namespace {

Molecule molecule(const std::string& id, std::vector<int64_t> atomic_numbers) {
  Molecule m;
  m.id = id;
  m.positions.assign(3 * atomic_numbers.size(), 0.0);
  m.atomic_numbers = std::move(atomic_numbers);
  return m;
}

TEST(DataStatistics, PerAtomTargetWithoutReferences) {
  // (2.59) with p_m = 0 for mu: t~ = mu / A = 2/2, 6/3, 10/5 = 1, 2, 2.
  std::vector<Molecule> molecules = {molecule("a", {1, 1}), molecule("b", {8, 1, 1}), molecule("c", {6, 1, 1, 1, 1}),
                                     molecule("unused", {1})};
  molecules[0].set_target(Target::mu, 2.0);
  molecules[1].set_target(Target::mu, 6.0);
  molecules[2].set_target(Target::mu, 10.0);
  const Dataset dataset(std::move(molecules));
  const TargetStatistics statistics = target_statistics(dataset, {0, 1, 2}, Target::mu);
  EXPECT_EQ(statistics.count, 3);
  EXPECT_DOUBLE_EQ(statistics.mean, 5.0 / 3.0);
  // Population standard deviation: sqrt(((1 - 5/3)^2 + 2 (2 - 5/3)^2) / 3) = sqrt(2) / 3.
  EXPECT_DOUBLE_EQ(statistics.std, std::sqrt(2.0) / 3.0);
}

TEST(DataStatistics, PerAtomTargetSubtractsTheReferenceBias) {
  // H2 with U0 = 2 ref(H) + 0.2 eV and CH4 with U0 = ref(C) + 4 ref(H) - 1.0 eV:
  // t~ = 0.1 and -0.2, mean -0.05, std 0.15.
  const double h = atom_reference(1, Target::U0), c = atom_reference(6, Target::U0);
  std::vector<Molecule> molecules = {molecule("h2", {1, 1}), molecule("ch4", {6, 1, 1, 1, 1})};
  molecules[0].set_target(Target::U0, 2 * h + 0.2);
  molecules[1].set_target(Target::U0, c + 4 * h - 1.0);
  const Dataset dataset(std::move(molecules));
  const TargetStatistics statistics = target_statistics(dataset, {0, 1}, Target::U0);
  EXPECT_NEAR(statistics.mean, -0.05, 1e-12);
  EXPECT_NEAR(statistics.std, 0.15, 1e-12);
  EXPECT_THROW(target_statistics(dataset, {}, Target::U0), std::invalid_argument);
}

TEST(DataStatistics, SummaryOverTheMoleculesThatHaveEachTarget) {
  std::vector<Molecule> molecules = {molecule("a", {6, 1, 1, 1, 1}), molecule("b", {8, 1, 1}), molecule("c", {9})};
  molecules[0].set_target(Target::gap, 1.0);
  molecules[1].set_target(Target::gap, 3.0);
  molecules[2].set_target(Target::Cv, 7.0);
  const DatasetSummary summary = summarize(Dataset(std::move(molecules)));
  EXPECT_EQ(summary.molecules, 3u);
  EXPECT_DOUBLE_EQ(summary.atoms_mean, 3.0);
  EXPECT_EQ(summary.atoms_max, 5);
  EXPECT_EQ(summary.element_counts, (std::map<int64_t, int64_t>{{1, 6}, {6, 1}, {8, 1}, {9, 1}}));
  const auto& gap = summary.targets[target_index(Target::gap)];
  EXPECT_EQ(gap.count, 2);
  EXPECT_DOUBLE_EQ(gap.mean, 2.0);
  EXPECT_DOUBLE_EQ(gap.std, 1.0);
  EXPECT_EQ(summary.targets[target_index(Target::Cv)].count, 1);
  EXPECT_EQ(summary.targets[target_index(Target::mu)].count, 0);
}

TEST(DataStatistics, MeanNeighborCount) {
  // Atoms at x = 0, 1, 2.5: within 2 A the pairs (0, 1) and (1, 2), each a neighbour of the
  // other: 4 neighbours over 3 atoms; a lone atom adds an atom and no neighbour.
  std::vector<Molecule> molecules = {molecule("line", {6, 6, 6}), molecule("lone", {1})};
  molecules[0].positions = {0, 0, 0, 1, 0, 0, 2.5, 0, 0};
  const Dataset dataset(std::move(molecules));
  EXPECT_DOUBLE_EQ(mean_neighbor_count(dataset, {0}, 2.0), 4.0 / 3.0);
  EXPECT_DOUBLE_EQ(mean_neighbor_count(dataset, {0, 1}, 2.0), 1.0);
  EXPECT_DOUBLE_EQ(mean_neighbor_count(dataset, {0}, 1.5), 2.0 / 3.0);  // 1.5 itself is not within 1.5
  EXPECT_DOUBLE_EQ(mean_neighbor_count(dataset, {0}, std::numeric_limits<double>::infinity()), 2.0);
  EXPECT_EQ(mean_neighbor_count(dataset, {}, 2.0), 0.0);
}

}  // namespace
}  // namespace e3::data
