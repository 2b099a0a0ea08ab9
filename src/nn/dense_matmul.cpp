#include "dense_matmul.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/torch.h>

#include <stdexcept>
#include <vector>

#include "bf16_pair_gemm.h"
#include "bf16_tensor.h"
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

// Rows of the [rows, K] left operand per task of the bf16-mixed products.
constexpr int64_t kRowGrain = 64;

// a [rows, K] @ B, B [K, M] given packed (blas::pack_pairs_of_rows or _columns), in bfloat16
// with float32 sums: a's rows split over the threads.
torch::Tensor product_bf16(const torch::Tensor& a, const torch::Tensor& b_packed, int64_t m) {
  const int64_t rows = a.size(0), k = a.size(1), ld = blas::even(k);
  auto c = torch::empty({rows, m}, a.options());
  const float* src = a.data_ptr<float>();
  float* out = c.data_ptr<float>();
  const uint16_t* packed = bfloat16_bits(b_packed);
  at::parallel_for(0, rows, kRowGrain, [&](int64_t r0, int64_t r1) {
    std::vector<uint16_t> a16((r1 - r0) * ld);
    blas::to_pair_rows(src + r0 * k, r1 - r0, k, a16.data());
    blas::bf16_pair_gemm(r1 - r0, m, k, a16.data(), ld, packed, out + r0 * m, m, false);
  });
  return c;
}

// x^T dy ([K, M]) in bfloat16 with float32 sums: each thread sums its range of rows (in pairs
// of rows, blas::bf16_pair_gemm_tn), and the parts are added in range order.
torch::Tensor weight_gradient_bf16(const torch::Tensor& x, const torch::Tensor& dy) {
  const int64_t rows = x.size(0), k = x.size(1), m = dy.size(1);
  const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), rows / kRowGrain));
  const auto bf16 = x.options().dtype(torch::kBFloat16);
  std::vector<torch::Tensor> sums(static_cast<size_t>(parts));
  at::parallel_for(0, parts, 1, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      // Range p: rows [r0, r1), r0 even so that the pairs of rows are the whole's.
      const int64_t r0 = rows * p / parts / 2 * 2, r1 = p + 1 == parts ? rows : rows * (p + 1) / parts / 2 * 2;
      auto x_pairs = torch::empty({blas::even(r1 - r0), k}, bf16);
      auto dy_pairs = torch::empty({blas::even(r1 - r0), m}, bf16);
      blas::pack_pairs_of_rows(r1 - r0, k, x.data_ptr<float>() + r0 * k, k, bfloat16_bits(x_pairs));
      blas::pack_pairs_of_rows(r1 - r0, m, dy.data_ptr<float>() + r0 * m, m, bfloat16_bits(dy_pairs));
      sums[size_t(p)] = torch::empty({k, m}, x.options());
      blas::bf16_pair_gemm_tn(k, m, r1 - r0, bfloat16_bits(x_pairs), bfloat16_bits(dy_pairs),
                              sums[size_t(p)].data_ptr<float>(), false);
    }
  });
  for (size_t p = 1; p < sums.size(); ++p) sums[0].add_(sums[p]);
  return sums[0];
}

class DenseMatmulFunction : public torch::autograd::Function<DenseMatmulFunction> {
 public:
  // x [N, K] and w [K, M], both contiguous float32.
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& w,
                               bool bf16_mixed) {
    ctx->save_for_backward({x, w});
    ctx->saved_data["bf16_mixed"] = bf16_mixed;
    if (!bf16_mixed) return product(x, false, w, false);
    const int64_t k = w.size(0), m = w.size(1);
    auto w_pairs = torch::empty({blas::even(k), m}, w.options().dtype(torch::kBFloat16));
    blas::pack_pairs_of_rows(k, m, w.data_ptr<float>(), m, bfloat16_bits(w_pairs));
    return product_bf16(x, w_pairs, m);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const auto& w = saved[1];
    const auto grad = grad_outputs[0].contiguous();
    const bool bf16_mixed = ctx->saved_data["bf16_mixed"].toBool();
    torch::Tensor grad_x, grad_w;
    if (ctx->needs_input_grad(0)) {  // dy w^T: [N, K]
      if (bf16_mixed) {
        const int64_t k = w.size(0), m = w.size(1);
        auto w_t_pairs = torch::empty({blas::even(m), k}, w.options().dtype(torch::kBFloat16));
        blas::pack_pairs_of_columns(m, k, w.data_ptr<float>(), m, bfloat16_bits(w_t_pairs));
        grad_x = product_bf16(grad, w_t_pairs, k);
      } else {
        grad_x = product(grad, false, w, true);
      }
    }
    if (ctx->needs_input_grad(1)) {  // x^T dy: [K, M]
      grad_w = bf16_mixed ? weight_gradient_bf16(x, grad) : product(x, true, grad, false);
    }
    return {grad_x, grad_w, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor dense_matmul(const torch::Tensor& x, const torch::Tensor& w, GemmPrecision precision) {
  if (w.dim() != 2 || x.dim() < 1 || x.size(-1) != w.size(0)) {
    throw std::invalid_argument("dense_matmul: x [..., K] and w [K, M] must agree in K");
  }
  const bool float32_cpu =
      x.scalar_type() == torch::kFloat && w.scalar_type() == torch::kFloat && x.device().is_cpu() && w.device().is_cpu();
  if (const auto reason = unsupported_precision(precision, float32_cpu); !reason.empty()) {
    throw std::invalid_argument("dense_matmul: " + reason);
  }
  const bool bf16_mixed = precision == GemmPrecision::bf16_mixed;
  if (!float32_cpu || x.numel() == 0 || w.numel() == 0) return torch::matmul(x, w);
  auto sizes = x.sizes().vec();
  sizes.back() = w.size(1);
  const auto rows = x.reshape({-1, x.size(-1)}).contiguous();
  return DenseMatmulFunction::apply(rows, w.contiguous(), bf16_mixed).view(sizes);
}

}  // namespace e3::nn
