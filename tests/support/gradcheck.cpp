#include "gradcheck.h"

#include <cmath>
#include <sstream>

namespace e3::testing {

GradcheckResult gradcheck(const std::function<torch::Tensor(const std::vector<torch::Tensor>&)>& function,
                          const std::vector<torch::Tensor>& inputs, double eps, double atol, double rtol) {
  GradcheckResult result;
  const auto output = function(inputs);
  const int64_t num_outputs = output.numel();
  for (size_t index = 0; index < inputs.size(); ++index) {
    const auto& input = inputs[index];
    if (!input.requires_grad()) continue;
    const int64_t num_inputs = input.numel();
    // Analytic Jacobian [num_inputs, num_outputs], column by column.
    auto analytic = torch::zeros({num_inputs, num_outputs}, torch::kDouble);
    for (int64_t o = 0; o < num_outputs; ++o) {
      auto grad_output = torch::zeros_like(output);
      grad_output.view(-1)[o] = 1.0;
      const auto grads = torch::autograd::grad({function(inputs)}, {input}, {grad_output}, /*retain_graph=*/false,
                                               /*create_graph=*/false, /*allow_unused=*/true);
      if (grads[0].defined()) analytic.select(1, o).copy_(grads[0].reshape(-1));
    }
    // Numerical Jacobian, row by row.
    auto numerical = torch::zeros_like(analytic);
    {
      torch::NoGradGuard no_grad;
      auto flat = input.view(-1);
      for (int64_t i = 0; i < num_inputs; ++i) {
        const double original = flat[i].item<double>();
        flat[i] = original + eps;
        const auto plus = function(inputs).reshape(-1).clone();
        flat[i] = original - eps;
        const auto minus = function(inputs).reshape(-1).clone();
        flat[i] = original;
        numerical.select(0, i).copy_((plus - minus) / (2 * eps));
      }
    }
    const auto error = (analytic - numerical).abs();
    result.max_error = std::max(result.max_error, error.max().item<double>());
    const auto bad = error > (atol + rtol * numerical.abs());
    if (bad.any().item<bool>() && result.ok) {
      const auto where = bad.nonzero()[0];
      const int64_t i = where[0].item<int64_t>(), o = where[1].item<int64_t>();
      std::ostringstream message;
      message << "input " << index << " element " << i << ", output element " << o << ": analytic "
              << analytic[i][o].item<double>() << " vs numerical " << numerical[i][o].item<double>();
      result.ok = false;
      result.message = message.str();
    }
  }
  return result;
}

}  // namespace e3::testing
