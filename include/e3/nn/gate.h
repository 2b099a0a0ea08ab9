#pragma once
// The gated block (2.53)-(2.54): the nonlinearity of e3nn.
//
// Scalars (l = 0) go through an activation sigma (2.53). Every copy of a non-scalar
// (l > 0) is multiplied by sigma~ of its own extra scalar, its gate (2.54), which the
// preceding KernelConv computes: the gate reads rs_in() = [the scalars of rs_out] +
// [one gate scalar per non-scalar copy] + [the non-scalars of rs_out] and writes rs_out.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "e3/nn/activation.h"
#include "e3/o3/rs.h"

namespace e3::nn {

struct GateOptions {
  explicit GateOptions(o3::Rs rs_out) : rs_out_(std::move(rs_out)) {}
  TORCH_ARG(o3::Rs, rs_out);
  TORCH_ARG(Activation, scalar_activation) = Activation::silu;  ///< sigma of (2.53)
  TORCH_ARG(Activation, gate_activation) = Activation::sigmoid;  ///< sigma~ of (2.54)
  /// Normalize both activations to unit second moment (activation.h).
  TORCH_ARG(bool, normalize) = true;
};

class GateImpl : public torch::nn::Cloneable<GateImpl> {
 public:
  explicit GateImpl(GateOptions options);

  /// [N, dim(rs_in())] -> [N, dim(rs_out)]
  torch::Tensor forward(const torch::Tensor& input);

  /// What the gate reads (what the preceding KernelConv must produce).
  const o3::Rs& rs_in() const { return rs_in_; }
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  GateOptions options;

 private:
  // Where each entry of rs_out comes from in the input.
  struct Source {
    int64_t offset;       // start of the entry in the input
    int64_t gate_offset;  // start of its gates in the input; -1 for scalars
  };
  o3::Rs rs_in_;
  int64_t num_scalars_ = 0, num_gates_ = 0;
  std::vector<Source> sources_;
};
TORCH_MODULE(Gate);

}  // namespace e3::nn
