// The QM9 output layer (2.58)-(2.60) against numbers worked by hand.

#include "e3/nn/scale_shift_readout.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

namespace e3::nn {
namespace {

// Types in the order H, C, N, O, F with QM9's U0 atom references (Table 2.3, Hartree).
const std::vector<double> kReferences = {-0.500273, -37.846772, -54.583861, -75.064579, -99.718730};
constexpr int64_t H = 0, C = 1, O = 3;

// A batch of water (O, H, H) and methane (C, H, H, H, H), atoms interleaved so that the
// clouds are not contiguous, and a third cloud without atoms.
const std::vector<int64_t> kTypes = {O, C, H, H, H, H, H, H};
const std::vector<int64_t> kCloud = {0, 1, 0, 1, 0, 1, 1, 1};
const std::vector<double> kValues = {1.0, 0.2, -2.0, 0.0, 0.5, 0.0, -0.4, 0.2};  // R_a: water 1, -2, 0.5; methane 0.2, 0, 0, -0.4, 0.2

ScaleShiftReadout make_readout(Readout readout) {
  ScaleShiftReadout module(ScaleShiftReadoutOptions(5).readout(readout));
  module->set_references(torch::tensor(kReferences, torch::kDouble));
  module->set_statistics(-0.1, 0.05);
  return module;
}

torch::Tensor evaluate(ScaleShiftReadout& module, const torch::Tensor& values) {
  return module->forward(values, torch::tensor(kTypes, torch::kLong), torch::tensor(kCloud, torch::kLong), 3);
}

TEST(ScaleShiftReadout, SumReadoutIs258Plus260) {
  auto module = make_readout(Readout::sum);
  const auto output = evaluate(module, torch::tensor(kValues, torch::kDouble));
  ASSERT_EQ(output.sizes(), (std::vector<int64_t>{3}));
  EXPECT_EQ(output.scalar_type(), torch::kDouble);
  // Water: p = -75.064579 + 2 (-0.500273) = -76.065125 (2.58); sum_a (mean + std R_a)
  // = 3 (-0.1) + 0.05 (1 - 2 + 0.5) = -0.325 (2.60); total -76.390125.
  EXPECT_NEAR(output[0].item<double>(), -76.390125, 1e-12);
  // Methane: p = -37.846772 + 4 (-0.500273) = -39.847864; 5 (-0.1) + 0.05 (0) = -0.5.
  EXPECT_NEAR(output[1].item<double>(), -40.347864, 1e-12);
  EXPECT_EQ(output[2].item<double>(), 0.0);  // no atoms: no reference, no shift
}

TEST(ScaleShiftReadout, MeanReadoutAveragesTheScaledValues) {
  auto module = make_readout(Readout::mean);
  const auto output = evaluate(module, torch::tensor(kValues, torch::kDouble));
  // Water: -76.065125 + (-0.325) / 3; methane: -39.847864 + (-0.5) / 5. The reference bias
  // p_m stays a sum over the atoms.
  EXPECT_NEAR(output[0].item<double>(), -76.065125 - 0.325 / 3.0, 1e-12);
  EXPECT_NEAR(output[1].item<double>(), -39.947864, 1e-12);
  EXPECT_EQ(output[2].item<double>(), 0.0);  // not NaN
}

TEST(ScaleShiftReadout, GradientIsStdPerAtomOrStdOverAtomCount) {
  for (const Readout readout : {Readout::sum, Readout::mean}) {
    auto module = make_readout(readout);
    const auto values = torch::tensor(kValues, torch::kDouble).requires_grad_();
    evaluate(module, values).sum().backward();
    for (size_t a = 0; a < kValues.size(); ++a) {
      const double atoms = kCloud[a] == 0 ? 3.0 : 5.0;
      const double expected = readout == Readout::sum ? 0.05 : 0.05 / atoms;
      EXPECT_NEAR(values.grad()[a].item<double>(), expected, 1e-15) << to_string(readout) << " atom " << a;
    }
  }
}

// The statistics and references stay float64 when the network is float32: p_m of a QM9
// energy (~1e4 eV) would be rounded by ~1 meV in float32.
TEST(ScaleShiftReadout, Float32NetworkFloat64Output) {
  auto module = make_readout(Readout::sum);
  module->to(torch::kFloat);
  EXPECT_EQ(module->references().scalar_type(), torch::kDouble);
  const auto output = evaluate(module, torch::tensor(kValues, torch::kFloat));
  EXPECT_EQ(output.scalar_type(), torch::kDouble);
  // The float32 R_a of water are exact (1, -2, 0.5); the result is the float64 one.
  EXPECT_NEAR(output[0].item<double>(), -76.390125, 1e-12);
}

TEST(ScaleShiftReadout, StatisticsAndReferencesAreState) {
  auto module = make_readout(Readout::mean);
  std::map<std::string, torch::Tensor> buffers;
  for (const auto& item : module->named_buffers()) buffers[item.key()] = item.value();
  ASSERT_EQ(buffers.size(), 3u);
  EXPECT_EQ(buffers.at("mean").item<double>(), -0.1);
  EXPECT_EQ(buffers.at("std").item<double>(), 0.05);
  EXPECT_TRUE(torch::equal(buffers.at("references"), torch::tensor(kReferences, torch::kDouble)));
  EXPECT_TRUE(module->parameters().empty());
  const auto copy = std::dynamic_pointer_cast<ScaleShiftReadoutImpl>(module->clone());
  module->set_statistics(0.0, 1.0);
  EXPECT_EQ(copy->mean(), -0.1);
  EXPECT_EQ(copy->std(), 0.05);
  EXPECT_EQ(copy->options.readout(), Readout::mean);
}

TEST(ScaleShiftReadout, OptionChecks) {
  EXPECT_THROW(ScaleShiftReadout(ScaleShiftReadoutOptions(0)), std::invalid_argument);
  ScaleShiftReadout module(ScaleShiftReadoutOptions(5));
  EXPECT_EQ(module->options.readout(), Readout::sum);  // the default: extensive targets
  EXPECT_EQ(module->mean(), 0.0);                      // identity until the statistics are set
  EXPECT_EQ(module->std(), 1.0);
  EXPECT_THROW(module->set_statistics(1.0, 0.0), std::invalid_argument);
  EXPECT_THROW(module->set_statistics(1.0, -1.0), std::invalid_argument);
  EXPECT_THROW(module->set_statistics(1.0, std::nan("")), std::invalid_argument);
  EXPECT_THROW(module->set_references(torch::zeros({4}, torch::kDouble)), std::invalid_argument);
  EXPECT_THROW(module->set_references(torch::zeros({5, 1}, torch::kDouble)), std::invalid_argument);
  EXPECT_EQ(readout_from_string("sum"), Readout::sum);
  EXPECT_EQ(readout_from_string("mean"), Readout::mean);
  EXPECT_EQ(to_string(Readout::mean), "mean");
  try {
    readout_from_string("max");
    ADD_FAILURE() << "accepted 'max'";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "unknown readout 'max' (valid: sum, mean, dipole, spatial_extent)");
  }
}

}  // namespace
}  // namespace e3::nn
