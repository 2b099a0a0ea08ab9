// The molecule networks: L·Net's layout (Figure 3.1), the multi-target network's output
// blocks (Figure 3.6), invariance of every output ((2.55)-(2.57)), independence of the output
// blocks, the element table and the option checks.

#include "e3/models/molecule_net.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "e3/o3/rotation.h"
#include "gradcheck.h"

namespace e3::models {
namespace {

nn::KernelOptions small_kernel(int lf_max) {
  return nn::KernelOptions().lf_max(lf_max).num_bases(8).radial_hidden(12).radial_layers(1).avg_num_neighbors(6.0);
}

// A small multi-target network: 2 featurization layers, three output blocks of different kinds.
MoleculeNetOptions small_mlpnet() {
  return MoleculeNetOptions()
      .embedding_size(6)
      .representation(o3::Rs::parse("4x0+3x1"))
      .layers(2)
      .radial_basis(nn::RadialBasisOptions(nn::RadialBasisType::cosine, 8, 4.0))
      .kernel(small_kernel(2))
      .heads({HeadOptions().representation(o3::Rs::parse("2x0+2x1")).layers(1).mlp_layers(2).mlp_neurons(5),
              HeadOptions().representation(o3::Rs::parse("3x0+1x1")).layers(2).mlp_layers(1).mlp_neurons(4)
                  .readout(nn::Readout::mean),
              HeadOptions()});
}

// Random molecules of H, C, N, O, F: atomic numbers [N], positions [N, 3] (float64), molecule index [N].
struct Molecules {
  torch::Tensor atomic_numbers, positions, molecule;
  int64_t count = 0;
};

Molecules random_molecules(const std::vector<int64_t>& sizes, uint64_t seed) {
  auto generator = at::detail::createCPUGenerator(seed);
  const auto elements = torch::tensor({1, 6, 7, 8, 9}, torch::kLong);
  std::vector<torch::Tensor> numbers, positions, index;
  for (size_t m = 0; m < sizes.size(); ++m) {
    numbers.push_back(elements.index_select(0, torch::randint(0, 5, {sizes[m]}, generator, torch::kLong)));
    positions.push_back(torch::randn({sizes[m], 3}, generator, torch::kDouble) * 1.3);
    index.push_back(torch::full({sizes[m]}, static_cast<int64_t>(m), torch::kLong));
  }
  return {torch::cat(numbers), torch::cat(positions), torch::cat(index), static_cast<int64_t>(sizes.size())};
}

PointClouds clouds_of(const Molecules& m, double cutoff) {
  PointClouds clouds;
  clouds.positions = m.positions;
  clouds.cloud_index = m.molecule;
  clouds.num_clouds = m.count;
  clouds.graph = nn::radius_graph(m.positions, m.molecule, cutoff);
  return clouds;
}

TEST(MoleculeNet, LNetIsFeaturizationLayersPlusALastConvolutionPerTarget) {
  auto options = lnet_options(o3::Rs::parse("64x0+21x1"), 5, {nn::Readout::sum, nn::Readout::mean});
  EXPECT_EQ(options.layers(), 4);
  MoleculeNet model(options.kernel(nn::KernelOptions().lf_max(2).num_bases(50)));
  EXPECT_EQ(model->featurization->layers.size(), 4u);
  ASSERT_EQ(model->num_heads(), 2);
  for (int64_t h = 0; h < 2; ++h) {
    auto& head = model->head(h);
    EXPECT_TRUE(head->stack->layers.empty());
    EXPECT_FALSE(head->mlp);
    EXPECT_EQ(head->output->options.rs_in(), o3::Rs::parse("64x0+21x1"));
    EXPECT_EQ(head->output->options.rs_out(), o3::Rs::parse("1x0"));
  }
  EXPECT_EQ(model->head(1)->readout->options.readout(), nn::Readout::mean);
  // Table 3.1's L1Net: 5,660,672 parameters for one target (the README's figure).
  MoleculeNet one(lnet_options(o3::Rs::parse("64x0+21x1"), 5, {nn::Readout::sum})
                      .kernel(nn::KernelOptions().lf_max(2).num_bases(50)));
  int64_t parameters = 0;
  for (const auto& p : one->parameters()) parameters += p.numel();
  EXPECT_EQ(parameters, 5660672);
  EXPECT_THROW(lnet_options(o3::Rs::parse("4x0"), 0, {nn::Readout::sum}), std::invalid_argument);
}

TEST(MoleculeNet, OutputBlocksHaveTheirOwnLayersAndMlp) {
  MoleculeNet model(small_mlpnet());
  auto& first = model->head(0);
  ASSERT_EQ(first->stack->layers.size(), 1u);
  EXPECT_EQ(first->stack->layers[0]->options.rs_in(), o3::Rs::parse("4x0+3x1"));  // the featurization's output
  EXPECT_EQ(first->output->options.rs_out(), o3::Rs::parse("5x0"));  // the MLP's width
  ASSERT_TRUE(first->mlp);
  EXPECT_EQ(first->mlp->options.layers(), 2);
  EXPECT_EQ(first->mlp->options.out_features(), 1);
  EXPECT_EQ(first->mlp->options.activation(), nn::Activation::relu);
  EXPECT_EQ(model->head(1)->stack->layers.size(), 2u);
  EXPECT_EQ(model->head(2)->output->options.rs_out(), o3::Rs::parse("1x0"));
  EXPECT_THROW(MoleculeNet(small_mlpnet().heads({HeadOptions().mlp_layers(1).mlp_neurons(0)})), std::invalid_argument);
  EXPECT_THROW(MoleculeNet(small_mlpnet().heads({HeadOptions().layers(-1)})), std::invalid_argument);
}

TEST(MoleculeNet, EveryOutputIsInvariantToRotationTranslationAndPermutation) {
  torch::manual_seed(3);
  MoleculeNet model(small_mlpnet());
  model->to(torch::kDouble);
  const auto m = random_molecules({7, 11, 5}, 12);
  const auto cutoff = model->cutoff();
  torch::NoGradGuard no_grad;
  const auto output = model->forward(clouds_of(m, cutoff), m.atomic_numbers);
  ASSERT_EQ(output.sizes(), (std::vector<int64_t>{3, 3}));
  ASSERT_EQ(output.scalar_type(), torch::kDouble);
  auto generator = at::detail::createCPUGenerator(5);
  for (int trial = 0; trial < 3; ++trial) {
    const auto rotation = o3::random_rotation(1, torch::kDouble, generator)[0];
    const auto permutation = torch::randperm(m.positions.size(0), generator, torch::TensorOptions().dtype(torch::kLong));
    Molecules moved = m;
    moved.positions = (torch::matmul(m.positions, rotation.t()) + torch::randn({1, 3}, generator, torch::kDouble) * 4)
                          .index_select(0, permutation);
    moved.atomic_numbers = m.atomic_numbers.index_select(0, permutation);
    moved.molecule = m.molecule.index_select(0, permutation);
    const auto result = model->forward(clouds_of(moved, cutoff), moved.atomic_numbers);
    EXPECT_LT((result - output).abs().max().item<double>(), 1e-10) << "trial " << trial;
  }
  // ... and it is not a constant: molecules differ.
  EXPECT_GT((output[0] - output[1]).abs().max().item<double>(), 1e-6);
}

TEST(MoleculeNet, OutputBlocksShareNothingButTheFeaturization) {
  torch::manual_seed(4);
  MoleculeNet model(small_mlpnet());
  model->to(torch::kDouble);
  const auto m = random_molecules({6, 9}, 2);
  const auto output = model->forward(clouds_of(m, model->cutoff()), m.atomic_numbers);
  output.select(1, 0).sum().backward();
  auto gradient_norm = [](torch::nn::Module& module) {
    double norm = 0.0;
    for (const auto& p : module.parameters()) {
      if (p.grad().defined()) norm += p.grad().abs().sum().item<double>();
    }
    return norm;
  };
  EXPECT_GT(gradient_norm(*model->head(0)), 0.0);
  EXPECT_GT(gradient_norm(*model->featurization), 0.0);
  EXPECT_EQ(gradient_norm(*model->head(1)), 0.0);
  EXPECT_EQ(gradient_norm(*model->head(2)), 0.0);
}

TEST(MoleculeNet, CalibrationGivesUnitSecondMomentAtomOutputs) {
  torch::manual_seed(6);
  MoleculeNet model(small_mlpnet());
  model->to(torch::kDouble);
  const auto m = random_molecules({9, 12, 8, 10}, 7);
  const auto clouds = clouds_of(m, model->cutoff());
  model->calibrate(clouds, m.atomic_numbers);
  torch::NoGradGuard no_grad;
  const auto edges = nn::embed_edges(clouds.graph, clouds.positions, model->basis, 2);
  // The featurization's input: the embedding of each atom's type (H, C, N, O, F -> 0..4).
  const auto lookup = torch::full({10}, -1, torch::kLong).index_put_({torch::tensor({1, 6, 7, 8, 9})},
                                                                      torch::arange(5, torch::kLong));
  const auto features = model->featurization->forward(model->embedding->forward(lookup.index_select(0, m.atomic_numbers)), edges);
  for (int64_t h = 0; h < model->num_heads(); ++h) {
    EXPECT_NEAR(model->head(h)->atom_values(features, edges).pow(2).mean().item<double>(), 1.0, 1e-9) << "head " << h;
  }
}

TEST(MoleculeNet, KnowsItsElementsAndNamesAnUnknownOne) {
  MoleculeNet model(small_mlpnet().elements({1, 6, 8}));
  EXPECT_TRUE(model->embeds(1));
  EXPECT_TRUE(model->embeds(8));
  EXPECT_FALSE(model->embeds(7));
  EXPECT_FALSE(model->embeds(0));
  EXPECT_FALSE(model->embeds(-3));
  EXPECT_FALSE(model->embeds(500));
  model->to(torch::kDouble);
  auto m = random_molecules({4}, 1);
  m.atomic_numbers = torch::tensor({1, 6, 7, 8}, torch::kLong);
  try {
    model->forward(clouds_of(m, model->cutoff()), m.atomic_numbers);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()), "atomic number 7 is not one of the model's elements (1, 6, 8)");
  }
}

TEST(MoleculeNet, InconsistentOptionsAreRejected) {
  EXPECT_THROW(MoleculeNet(small_mlpnet().elements({})), std::invalid_argument);
  EXPECT_THROW(MoleculeNet(small_mlpnet().elements({1, 6, 1})), std::invalid_argument);
  EXPECT_THROW(MoleculeNet(small_mlpnet().elements({1, 200})), std::invalid_argument);
  EXPECT_THROW(MoleculeNet(small_mlpnet().heads({})), std::invalid_argument);
  EXPECT_THROW(MoleculeNet(small_mlpnet().kernel(small_kernel(2).num_bases(9))), std::invalid_argument);
  // Only l = 1 features cannot reach the scalar output with lf_max 0.
  EXPECT_THROW(MoleculeNet(small_mlpnet().representation(o3::Rs::parse("3x1")).kernel(small_kernel(0))),
               std::invalid_argument);
}

TEST(MoleculeNet, ComputesInTheDtypeItIsGiven) {
  for (auto dtype : {torch::kFloat, torch::kDouble}) {
    torch::manual_seed(1);
    MoleculeNet model(small_mlpnet());
    model->to(dtype);
    for (const auto& p : model->parameters()) EXPECT_EQ(p.scalar_type(), dtype);
    auto m = random_molecules({5, 6}, 3);
    m.positions = m.positions.to(dtype);
    torch::NoGradGuard no_grad;
    // The output layer works in float64 whatever the network's dtype (references of ~1e4 eV).
    EXPECT_EQ(model->forward(clouds_of(m, model->cutoff()), m.atomic_numbers).scalar_type(), torch::kDouble);
  }
}

// Networks with the physical readouts: an L-Net-like head (a last convolution) with the dipole
// readout, one with an MLP and the dipole readout, and a spatial extent head.
MoleculeNetOptions physical_heads_net() {
  return small_mlpnet().heads({HeadOptions().readout(nn::Readout::dipole),
                               HeadOptions().representation(o3::Rs::parse("2x0+2x1")).layers(1).mlp_layers(1)
                                   .mlp_neurons(4).readout(nn::Readout::dipole),
                               HeadOptions().readout(nn::Readout::spatial_extent)});
}

// The largest |R mu(x) - mu(R x)| over random rotations (with a translation and a permutation of
// the atoms) relative to the largest |mu|, and the largest change of the invariant outputs
// relative to their largest magnitude, in `dtype`.
std::pair<double, double> dipole_equivariance_error(torch::Dtype dtype) {
  torch::manual_seed(9);
  MoleculeNet model(physical_heads_net());
  model->to(dtype);
  for (auto& head : model->heads) head->readout->set_scale(0.2);
  const auto m = random_molecules({7, 11, 5}, 21);
  const auto cutoff = model->cutoff();
  torch::NoGradGuard no_grad;
  Molecules typed = m;
  typed.positions = m.positions.to(dtype);
  const auto reference = model->predict(clouds_of(typed, cutoff), m.atomic_numbers);
  EXPECT_EQ(reference.dipoles[0].sizes(), (std::vector<int64_t>{3, 3}));
  EXPECT_FALSE(reference.dipoles[2].defined());
  auto generator = at::detail::createCPUGenerator(8);
  double vector_error = 0.0, invariant_error = 0.0;
  for (int trial = 0; trial < 3; ++trial) {
    const auto rotation = o3::random_rotation(1, torch::kDouble, generator)[0];
    const auto permutation = torch::randperm(m.positions.size(0), generator, torch::TensorOptions().dtype(torch::kLong));
    Molecules moved = m;
    moved.positions = (torch::matmul(m.positions, rotation.t()) + torch::randn({1, 3}, generator, torch::kDouble) * 4)
                          .index_select(0, permutation)
                          .to(dtype);
    moved.atomic_numbers = m.atomic_numbers.index_select(0, permutation);
    moved.molecule = m.molecule.index_select(0, permutation);
    const auto result = model->predict(clouds_of(moved, cutoff), moved.atomic_numbers);
    invariant_error = std::max(invariant_error, ((result.values - reference.values).abs().max() /
                                                 reference.values.abs().max()).item<double>());
    for (int64_t h : {0, 1}) {
      const auto expected = torch::matmul(reference.dipoles[h].to(torch::kDouble), rotation.t());
      vector_error = std::max(vector_error, ((result.dipoles[h].to(torch::kDouble) - expected).abs().max() /
                                             expected.norm(2, 1).max()).item<double>());
    }
  }
  // The outputs are not constants, and the vectors' norms are the values.
  EXPECT_GT((reference.values[0] - reference.values[1]).abs().max().item<double>(), 1e-3);
  EXPECT_LT((reference.values.select(1, 0) - reference.dipoles[0].norm(2, 1)).abs().max().item<double>(), 1e-5);
  return {vector_error, invariant_error};
}

TEST(MoleculeNet, DipoleVectorRotatesWithTheMoleculeInFloat64) {
  const auto [vector_error, invariant_error] = dipole_equivariance_error(torch::kDouble);
  EXPECT_LT(vector_error, 1e-10);
  EXPECT_LT(invariant_error, 1e-10);
}

TEST(MoleculeNet, DipoleVectorRotatesWithTheMoleculeInFloat32) {
  const auto [vector_error, invariant_error] = dipole_equivariance_error(torch::kFloat);
  EXPECT_LT(vector_error, 1e-5);
  EXPECT_LT(invariant_error, 1e-5);
}

// A dipole head (its own gated layer, last convolution, MLP and the readout) in float64: the
// gradients with respect to its input features and to the positions the readout reads agree
// with finite differences.
TEST(TargetHead, DipoleHeadGradcheckInFloat64) {
  torch::manual_seed(12);
  const auto rs = o3::Rs::parse("3x0+2x1");
  TargetHead head(TargetHeadOptions(rs, 5, HeadOptions().representation(o3::Rs::parse("2x0+1x1")).layers(1)
                                               .mlp_layers(1).mlp_neurons(3).readout(nn::Readout::dipole))
                      .kernel(small_kernel(2)));
  head->to(torch::kDouble);
  head->readout->set_scale(0.3);
  const auto m = random_molecules({3, 4}, 5);
  nn::RadialBasis basis(nn::RadialBasisOptions(nn::RadialBasisType::cosine, 8, 4.0));
  const auto edges = nn::embed_edges(nn::radius_graph(m.positions, m.molecule, basis->cutoff()), m.positions, basis, 2);
  const auto features = torch::randn({7, rs.dim()}, torch::kDouble).requires_grad_(true);
  const auto positions = m.positions.clone().requires_grad_(true);
  const auto types = torch::zeros({7}, torch::kLong);
  const auto result = testing::gradcheck(
      [&](const std::vector<torch::Tensor>& x) { return head->forward(x[0], edges, types, m.molecule, 2, x[1]); },
      {features, positions});
  EXPECT_TRUE(result.ok) << result.message;
}

TEST(MoleculeNet, ADipoleHeadOnScalarFeaturesUsesFirstOrderFilters) {
  // L0Net's features are scalars: the head's vector comes from l_f = 1 filters on them.
  auto options = physical_heads_net().representation(o3::Rs::parse("4x0")).kernel(small_kernel(1));
  options.heads({HeadOptions().readout(nn::Readout::dipole)});
  MoleculeNet model(options);
  model->to(torch::kDouble);
  const auto m = random_molecules({6}, 4);
  torch::NoGradGuard no_grad;
  const auto predictions = model->predict(clouds_of(m, model->cutoff()), m.atomic_numbers);
  EXPECT_GT(predictions.values.item<double>(), 0.0);
  EXPECT_THROW(MoleculeNet(options.kernel(small_kernel(0))), std::invalid_argument);
}

}  // namespace
}  // namespace e3::models
