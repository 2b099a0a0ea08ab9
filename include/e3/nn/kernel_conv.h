#pragma once
// KernelConv as a module: the radial MLP of (2.34)-(2.35) and the convolution (2.49).

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include "e3/nn/activation.h"
#include "e3/nn/edge_inputs.h"
#include "e3/nn/gemm_precision.h"
#include "e3/nn/kernel_plan.h"
#include "e3/nn/mlp.h"
#include "e3/o3/rs.h"

namespace e3::nn {

/// The hyperparameters of a kernel that do not depend on its representations; shared by
/// every layer of a network.
struct KernelOptions {
  TORCH_ARG(int, lf_max) = 2;                ///< highest filter order l_f
  TORCH_ARG(int64_t, num_bases) = 50;        ///< width of EdgeInputs::basis
  TORCH_ARG(int64_t, radial_hidden) = 128;   ///< radial MLP neurons
  TORCH_ARG(int64_t, radial_layers) = 2;     ///< radial MLP hidden layers
  TORCH_ARG(Activation, radial_activation) = Activation::silu;
  /// Typical number of edges into an atom; the normalization of (B.7) divides by it so that
  /// the sum over neighbours in (2.49) keeps unit second moment.
  TORCH_ARG(double, avg_num_neighbors) = 1.0;
  TORCH_ARG(o3::ShNormalization, harmonics_normalization) = o3::ShNormalization::integral;
  /// true: the fused op (kernel_conv_function.h); false: the reference (kernel_conv_reference.h).
  TORCH_ARG(bool, fused) = true;
  /// The GEMMs of the fused op (kernel_conv()) and of the radial MLP (MLPOptions::precision); the
  /// reference op computes in the inputs' dtype.
  TORCH_ARG(GemmPrecision, precision) = GemmPrecision::float32;
};

struct KernelConvOptions {
  KernelConvOptions(o3::Rs rs_in, o3::Rs rs_out) : rs_in_(std::move(rs_in)), rs_out_(std::move(rs_out)) {}
  TORCH_ARG(o3::Rs, rs_in);
  TORCH_ARG(o3::Rs, rs_out);
  TORCH_ARG(KernelOptions, kernel);
};

/// G = KernelConv(F): features [N, dim(rs_in)] -> [N, dim(rs_out)] on the edges of a batch.
class KernelConvImpl : public torch::nn::Cloneable<KernelConvImpl> {
 public:
  explicit KernelConvImpl(KernelConvOptions options);

  /// `edges.harmonics` must hold at least the orders 0..lf_max and `edges.basis` num_bases values.
  torch::Tensor forward(const torch::Tensor& features, const EdgeInputs& edges);

  /// Data-dependent initialization: given `output`, this layer's output on representative
  /// inputs ([N, dim(rs_out)]), scales the radial output weights of each output entry so that
  /// the entry would have unit second moment. (B.7) assumes the messages of an atom's
  /// neighbours independent; in molecules, built from a handful of atom types and smooth
  /// radial functions, they are correlated and add up more coherently than that, which this
  /// measures and corrects. Entries with no signal (second moment 0) are left alone.
  void normalize_output(const torch::Tensor& output);

  const KernelPlan& plan() const { return *plan_; }
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  KernelConvOptions options;
  MLP radial = nullptr;

 private:
  c10::intrusive_ptr<KernelPlan> plan_;
};
TORCH_MODULE(KernelConv);

}  // namespace e3::nn
