// The physical readouts (nn/moments.h and the dipole and spatial_extent kinds of the output
// layer) against values worked by hand, their invariances and their gradients.

#include "e3/nn/moments.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "e3/nn/scale_shift_readout.h"
#include "e3/o3/rotation.h"
#include "gradcheck.h"

namespace e3::nn {
namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kDouble);

TEST(Moments, TwoPointChargesGiveChargeTimesDistanceInDebye) {
  // +0.3 e and -0.3 e, 1.2 Angstrom apart along x, far from the origin: 0.36 e A = 1.7292 D.
  const auto positions = torch::tensor({{10.0, 5.0, -3.0}, {11.2, 5.0, -3.0}}, kDouble);
  const auto charges = torch::tensor({-0.3, 0.3}, kDouble);
  const auto cloud = torch::zeros({2}, torch::kLong);
  const auto mu = dipole_vectors(charges, {}, positions, cloud, 1);
  EXPECT_NEAR(mu[0][0].item<double>(), 0.36 * 4.803204712570263, 1e-12);
  EXPECT_NEAR(mu[0][1].item<double>(), 0.0, 1e-12);
  EXPECT_NEAR(mu[0][2].item<double>(), 0.0, 1e-12);
  EXPECT_NEAR(smooth_norm(mu)[0].item<double>(), 0.36 * kDebyePerElectronAngstrom, 1e-10);
}

TEST(Moments, ChargesAreMadeNeutralPerMoleculeInABatch) {
  const auto charges = torch::tensor({1.0, 2.0, 3.0, -1.0, 0.5}, kDouble);
  const auto cloud = torch::tensor({0, 1, 0, 1, 0}, torch::kLong);
  const auto neutral = neutral_charges(charges, cloud, 2);
  const auto totals = torch::zeros({2}, kDouble).index_add(0, cloud, neutral);
  EXPECT_LT(totals.abs().max().item<double>(), 1e-14);
  // A net charge would make the dipole depend on the origin; neutral charges do not.
  const auto positions = torch::randn({5, 3}, kDouble);
  const auto dipoles = torch::randn({5, 3}, kDouble);
  const auto mu = dipole_vectors(charges, dipoles, positions, cloud, 2);
  const auto moved = dipole_vectors(charges, dipoles, positions + torch::tensor({{3.0, -7.0, 1.0}}, kDouble), cloud, 2);
  EXPECT_LT((mu - moved).abs().max().item<double>(), 1e-12);
  // The atomic dipoles add in e Angstrom.
  const auto without = dipole_vectors(charges, {}, positions, cloud, 2);
  const auto expected = torch::zeros({2, 3}, kDouble).index_add(0, cloud, dipoles) * kDebyePerElectronAngstrom;
  EXPECT_LT((mu - without - expected).abs().max().item<double>(), 1e-12);
}

TEST(Moments, NormHasAFiniteGradientAtZero) {
  const auto zero = torch::zeros({1, 3}, kDouble).requires_grad_(true);
  const auto value = smooth_norm(zero);
  EXPECT_NEAR(value.item<double>(), kNormEpsilon, 1e-18);
  value.sum().backward();
  EXPECT_TRUE(torch::isfinite(zero.grad()).all().item<bool>());
  EXPECT_EQ(zero.grad().abs().max().item<double>(), 0.0);
  EXPECT_NEAR(smooth_norm(torch::tensor({{3.0, 4.0, 0.0}}, kDouble)).item<double>(), 5.0, 1e-12);
}

TEST(Moments, SpatialExtentOfTwoAtomsWorkedByHand) {
  // Two atoms 2 A apart, weights 1 and 3 electrons, centre of the weights (1, 1): the centre is
  // 0.5 A from the second atom and 1.5 A from the first: 1 * 2.25 + 3 * 0.25 = 3 A^2.
  const auto positions = torch::tensor({{0.0, 0.0, 0.0}, {2.0, 0.0, 0.0}}, kDouble);
  const auto cloud = torch::zeros({2}, torch::kLong);
  const auto extent =
      spatial_extents(torch::tensor({1.0, 3.0}, kDouble), positions, torch::tensor({1.0, 3.0}, kDouble), cloud, 1);
  EXPECT_NEAR(extent.item<double>(), 3.0 / (kBohrRadiusAngstrom * kBohrRadiusAngstrom), 1e-10);
}

// The dipole kind of the output layer: 4 values per atom (a charge, then a vector in e3's
// (y, z, x) order) times its scale.
TEST(DipoleReadout, ReadsAChargeAndAVectorInE3Order) {
  ScaleShiftReadout readout(ScaleShiftReadoutOptions(2).readout(Readout::dipole));
  readout->set_statistics(0.0, 0.1);
  readout->set_scale(0.5);
  const auto positions = torch::tensor({{0.0, 0.0, 0.0}, {0.0, 0.0, 1.0}}, kDouble);
  // Charges 0 and 1 (neutral: -0.5, +0.5) times 0.5 -> +-0.25 e along z, 1 A apart; the first
  // atom's vector (y, z, x) = (0, 0, 2) is 2 along x, times 0.5 -> 1 e A.
  const auto values = torch::tensor({{0.0, 0.0, 0.0, 2.0}, {1.0, 0.0, 0.0, 0.0}}, kDouble);
  const auto cloud = torch::zeros({2}, torch::kLong);
  const auto mu = readout->dipole_vectors(values, cloud, 1, positions);
  EXPECT_NEAR(mu[0][0].item<double>(), 1.0 * kDebyePerElectronAngstrom, 1e-12);
  EXPECT_NEAR(mu[0][1].item<double>(), 0.0, 1e-12);
  EXPECT_NEAR(mu[0][2].item<double>(), 0.25 * kDebyePerElectronAngstrom, 1e-12);
  const auto types = torch::zeros({2}, torch::kLong);
  EXPECT_NEAR(readout->forward(values, types, cloud, 1, positions).item<double>(),
              std::hypot(1.0, 0.25) * kDebyePerElectronAngstrom, 1e-10);
  // Without positions or with the wrong width it says what it needs.
  EXPECT_THROW(readout->forward(values, types, cloud, 1), std::invalid_argument);
  EXPECT_THROW(readout->forward(values.narrow(1, 0, 1), types, cloud, 1, positions), std::invalid_argument);
  EXPECT_THROW(ScaleShiftReadout(ScaleShiftReadoutOptions(2))->set_scale(1.0), std::logic_error);
}

TEST(DipoleReadout, VectorRotatesAndNormIsInvariant) {
  ScaleShiftReadout readout(ScaleShiftReadoutOptions(1).readout(Readout::dipole));
  readout->set_scale(0.3);
  auto generator = at::detail::createCPUGenerator(7);
  const auto positions = torch::randn({6, 3}, generator, torch::kDouble);
  const auto charges = torch::randn({6, 1}, generator, torch::kDouble);
  const auto vectors = torch::randn({6, 3}, generator, torch::kDouble);  // e3 order (y, z, x)
  const auto cloud = torch::tensor({0, 0, 1, 1, 1, 0}, torch::kLong);
  const auto mu = readout->dipole_vectors(torch::cat({charges, vectors}, 1), cloud, 2, positions);
  const auto rotation = o3::random_rotation(1, torch::kDouble, generator)[0];
  // Rotate the positions (x, y, z) and the vectors: in (y, z, x) order the matrix is permuted.
  const auto to_xyz = torch::tensor({2, 0, 1}, torch::kLong), to_e3 = torch::tensor({1, 2, 0}, torch::kLong);
  const auto rotated_vectors = torch::matmul(vectors.index_select(1, to_xyz), rotation.t()).index_select(1, to_e3);
  const auto rotated = readout->dipole_vectors(torch::cat({charges, rotated_vectors}, 1), cloud, 2,
                                               torch::matmul(positions, rotation.t()));
  EXPECT_LT((rotated - torch::matmul(mu, rotation.t())).abs().max().item<double>(), 1e-12);
  EXPECT_LT((smooth_norm(rotated) - smooth_norm(mu)).abs().max().item<double>(), 1e-12);
}

TEST(DipoleReadout, GradcheckInFloat64) {
  ScaleShiftReadout readout(ScaleShiftReadoutOptions(1).readout(Readout::dipole));
  readout->set_scale(0.4);
  auto generator = at::detail::createCPUGenerator(3);
  const auto values = torch::randn({5, 4}, generator, torch::kDouble).requires_grad_(true);
  const auto positions = torch::randn({5, 3}, generator, torch::kDouble).requires_grad_(true);
  const auto cloud = torch::tensor({0, 1, 0, 1, 1}, torch::kLong);
  const auto types = torch::zeros({5}, torch::kLong);
  const auto result = testing::gradcheck(
      [&](const std::vector<torch::Tensor>& x) { return readout->forward(x[0], types, cloud, 2, x[1]); },
      {values, positions});
  EXPECT_TRUE(result.ok) << result.message;
}

TEST(SpatialExtentReadout, WeightsAreMeanPlusScaleTimesOutputsAboutTheNuclearChargeCentre) {
  ScaleShiftReadout readout(
      ScaleShiftReadoutOptions(2).readout(Readout::spatial_extent).centre_weights({1.0, 3.0}));
  readout->set_statistics(2.0, 0.1);  // mean weight 2 electrons
  readout->set_scale(0.5);
  const auto positions = torch::tensor({{0.0, 0.0, 0.0}, {2.0, 0.0, 0.0}}, kDouble);
  const auto types = torch::tensor({0, 1}, torch::kLong);  // centre weights 1 and 3
  const auto cloud = torch::zeros({2}, torch::kLong);
  // Weights 2 + 0.5 * (-2) = 1 and 2 + 0.5 * 2 = 3: the worked example above, 3 A^2.
  const auto extent = readout->forward(torch::tensor({-2.0, 2.0}, kDouble), types, cloud, 1, positions);
  EXPECT_NEAR(extent.item<double>(), 3.0 / (kBohrRadiusAngstrom * kBohrRadiusAngstrom), 1e-10);
  const auto values = torch::randn({2}, kDouble).requires_grad_(true);
  const auto movable = positions.clone().requires_grad_(true);
  const auto result = testing::gradcheck(
      [&](const std::vector<torch::Tensor>& x) { return readout->forward(x[0], types, cloud, 1, x[1]); },
      {values, movable});
  EXPECT_TRUE(result.ok) << result.message;
}

TEST(SpatialExtentReadout, IsInvariantToRotationTranslationAndPermutation) {
  ScaleShiftReadout readout(
      ScaleShiftReadoutOptions(3).readout(Readout::spatial_extent).centre_weights({1.0, 6.0, 8.0}));
  readout->set_statistics(1.5, 0.1);
  readout->set_scale(0.2);
  auto generator = at::detail::createCPUGenerator(11);
  const auto positions = torch::randn({7, 3}, generator, torch::kDouble) * 1.5;
  const auto values = torch::randn({7}, generator, torch::kDouble);
  const auto types = torch::tensor({0, 1, 2, 0, 0, 1, 2}, torch::kLong);
  const auto cloud = torch::tensor({0, 0, 0, 1, 1, 1, 1}, torch::kLong);
  const auto extent = readout->forward(values, types, cloud, 2, positions);
  const auto rotation = o3::random_rotation(1, torch::kDouble, generator)[0];
  const auto permutation = torch::randperm(7, generator, torch::TensorOptions().dtype(torch::kLong));
  const auto moved = (torch::matmul(positions, rotation.t()) + torch::tensor({{4.0, -2.0, 9.0}}, kDouble))
                         .index_select(0, permutation);
  const auto result = readout->forward(values.index_select(0, permutation), types.index_select(0, permutation),
                                       cloud.index_select(0, permutation), 2, moved);
  EXPECT_LT((result - extent).abs().max().item<double>(), 1e-10);
}

}  // namespace
}  // namespace e3::nn
