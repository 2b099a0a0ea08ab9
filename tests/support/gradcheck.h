#pragma once
// Numerical gradient check, the algorithm of torch.autograd.gradcheck (which LibTorch's
// C++ API does not ship): the analytic Jacobian, one backward pass per output element,
// against central finite differences, one pair of forward passes per input element.

#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

namespace e3::testing {

struct GradcheckResult {
  bool ok = true;
  double max_error = 0.0;  ///< largest |analytic - numerical| seen
  std::string message;     ///< where the first mismatch was, when not ok
};

/// `inputs` are float64 leaves; those with requires_grad are checked. `function` maps them
/// to one tensor. Passes when every Jacobian entry satisfies |a - n| <= atol + rtol |n|.
GradcheckResult gradcheck(const std::function<torch::Tensor(const std::vector<torch::Tensor>&)>& function,
                          const std::vector<torch::Tensor>& inputs, double eps = 1e-6, double atol = 1e-5,
                          double rtol = 1e-3);

}  // namespace e3::testing
