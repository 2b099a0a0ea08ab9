#pragma once
// x @ w for the MLPs (mlp.h), whose GEMMs are a tenth of an L1Net training step: the radial
// MLPs multiply every edge's basis values or hidden activations [E, K] by a [K, H] weight.
// LibTorch's matmul sends float32 to OpenBLAS, whose kernels on the CPUs measured (AMD Zen 5,
// where it picks its Haswell kernels) ran at half of oneDNN's sgemm rate in the same run; this
// Function runs the forward GEMM and both backward GEMMs on oneDNN's sgemm (blas.h) instead,
// or under bf16-mixed on bf16_pair_gemm.h's kernel (bfloat16 inputs, float32 sums).

#include <torch/types.h>

#include "e3/nn/gemm_precision.h"

namespace e3::nn {

/// x [..., K] @ w [K, M] -> [..., M], differentiable in x and w. float32 CPU tensors go to
/// oneDNN's sgemm in forward and backward (the backward is not itself differentiable); any
/// other dtype or device to torch::matmul (float64 keeps double backward, for gradchecks).
/// `precision` bf16_mixed (float32 inputs only; for a CPU where cpu_has_bf16_gemm()) rounds
/// the inputs of the three GEMMs (y = x w, dx = dy w^T, dw = x^T dy) to bfloat16 and sums
/// their products in float32; the rows of x are split over the threads, and dw's sum over
/// them is added up in a fixed order, so that results depend on the thread count only.
torch::Tensor dense_matmul(const torch::Tensor& x, const torch::Tensor& w,
                           GemmPrecision precision = GemmPrecision::float32);

}  // namespace e3::nn
