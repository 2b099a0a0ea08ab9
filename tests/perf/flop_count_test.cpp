// The analytic FLOP counts behind every GFLOP/s figure, and the machine facts printed beside them.

#include "e3/perf/flop_count.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "e3/nn/kernel_conv.h"
#include "e3/perf/gemm_peak.h"
#include "e3/perf/machine.h"

namespace e3::perf {
namespace {

// One path 1x0 (x) Y^0 -> 1x0 with H hidden units: every stage in closed form.
TEST(FlopCount, FusedKernelConvOfOneScalarPath) {
  const nn::KernelPlan plan(o3::Rs::parse("1x0"), o3::Rs::parse("1x0"), 0, o3::ShNormalization::integral, 1.0);
  const double n = 3, e = 4, h = 5;
  const auto flops = fused_kernel_conv_flops(plan, n, e, h);
  const double stage1 = e * (2 + 2), stage2 = 2 * e * h, stage3 = 2 * n * h;
  EXPECT_DOUBLE_EQ(flops.forward, stage1 + stage2 + stage3);
  EXPECT_DOUBLE_EQ(flops.backward, stage1 + stage2 + 2 * stage3 + 4 * e * h + e * (4 + 4));
  EXPECT_DOUBLE_EQ(flops.total(), flops.forward + flops.backward);
}

// A model's count is its convolutions' (fused, or the reference's for a reference model) and
// its radial MLPs'.
TEST(FlopCount, ModelIsTheSumOfItsConvolutions) {
  for (bool fused : {true, false}) {
    auto options = models::lnet_options(o3::Rs::parse("4x0+2x1"), 3, {nn::Readout::sum});
    options.kernel().radial_hidden(8).fused(fused);
    models::MoleculeNet model(options);
    const double n = 20, e = 150;
    Flops expected;
    int layers = 0;
    for (const auto& module : model->modules()) {
      const auto conv = std::dynamic_pointer_cast<nn::KernelConvImpl>(module);
      if (!conv) continue;
      const auto c = fused ? fused_kernel_conv_flops(conv->plan(), n, e, 8)
                           : reference_kernel_conv_flops(conv->plan(), e, 8);
      const auto r = radial_mlp_flops(e, double(options.kernel().num_bases()), 8, options.kernel().radial_layers());
      expected.forward += c.forward + r.forward;
      expected.backward += c.backward + r.backward;
      ++layers;
    }
    EXPECT_EQ(layers, 3);
    const auto counted = model_flops(*model, n, e);
    EXPECT_DOUBLE_EQ(counted.forward, expected.forward) << fused;
    EXPECT_DOUBLE_EQ(counted.backward, expected.backward) << fused;
  }
}

TEST(Machine, NamesTheCpuAndMeasuresPositivePeaks) {
  EXPECT_FALSE(cpu_model().empty());
  EXPECT_FALSE(onednn_isa().empty());
  EXPECT_GT(peak_resident_bytes(), 0);
  const auto peak = measure_gemm_peak(GemmPeakOptions().size(128).repeats(2).float64(true));
  EXPECT_GT(peak.libtorch_float32, 0.0);
  EXPECT_GT(peak.onednn_float32, 0.0);
  EXPECT_GT(peak.float64, 0.0);
  EXPECT_EQ(peak.bfloat16, 0.0);  // not asked for
}

}  // namespace
}  // namespace e3::perf
