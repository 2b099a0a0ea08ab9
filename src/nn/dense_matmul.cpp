#include "dense_matmul.h"

#include <torch/csrc/autograd/custom_function.h>
#include <torch/torch.h>

#include <stdexcept>

#include "blas.h"

namespace e3::nn {
namespace {

// Row-major [rows, cols] float32 GEMM products of contiguous, non-empty tensors through
// blas::gemm (dense_matmul() sends empty ones to torch::matmul).
torch::Tensor product(const torch::Tensor& a, bool trans_a, const torch::Tensor& b, bool trans_b) {
  const int64_t m = trans_a ? a.size(1) : a.size(0);
  const int64_t k = trans_a ? a.size(0) : a.size(1);
  const int64_t n = trans_b ? b.size(0) : b.size(1);
  auto c = torch::empty({m, n}, a.options());
  blas::gemm(trans_a, trans_b, m, n, k, 1.0f, a.data_ptr<float>(), a.size(1), b.data_ptr<float>(), b.size(1), 0.0f,
             c.data_ptr<float>(), n);
  return c;
}

class DenseMatmulFunction : public torch::autograd::Function<DenseMatmulFunction> {
 public:
  // x [N, K] and w [K, M], both contiguous float32.
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& w) {
    ctx->save_for_backward({x, w});
    return product(x, false, w, false);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const auto& w = saved[1];
    const auto grad = grad_outputs[0].contiguous();
    torch::Tensor grad_x, grad_w;
    if (ctx->needs_input_grad(0)) grad_x = product(grad, false, w, true);  // dy w^T: [N, K]
    if (ctx->needs_input_grad(1)) grad_w = product(x, true, grad, false);  // x^T dy: [K, M]
    return {grad_x, grad_w};
  }
};

}  // namespace

torch::Tensor dense_matmul(const torch::Tensor& x, const torch::Tensor& w) {
  if (w.dim() != 2 || x.dim() < 1 || x.size(-1) != w.size(0)) {
    throw std::invalid_argument("dense_matmul: x [..., K] and w [K, M] must agree in K");
  }
  const bool onednn = x.scalar_type() == torch::kFloat && w.scalar_type() == torch::kFloat && x.device().is_cpu() &&
                      w.device().is_cpu() && x.numel() > 0 && w.numel() > 0;
  if (!onednn) return torch::matmul(x, w);
  auto sizes = x.sizes().vec();
  sizes.back() = w.size(1);
  const auto rows = x.reshape({-1, x.size(-1)}).contiguous();
  return DenseMatmulFunction::apply(rows, w.contiguous()).view(sizes);
}

}  // namespace e3::nn
