#pragma once
// x @ w for the MLPs (mlp.h), whose GEMMs are a fifth of an L1Net training step: the radial
// MLPs multiply every edge's basis values or hidden activations [E, K] by a [K, H] weight.
// LibTorch's matmul sends float32 to OpenBLAS, whose kernels on the CPUs measured (AMD Zen 5,
// where it picks its Haswell kernels) ran at half of oneDNN's sgemm rate in the same run; this
// Function runs the forward GEMM and both backward GEMMs on oneDNN's sgemm (blas.h) instead.

#include <torch/types.h>

namespace e3::nn {

/// x [..., K] @ w [K, M] -> [..., M], differentiable in x and w. float32 CPU tensors go to
/// oneDNN's sgemm in forward and backward (the backward is not itself differentiable); any
/// other dtype or device to torch::matmul (float64 keeps double backward, for gradchecks).
torch::Tensor dense_matmul(const torch::Tensor& x, const torch::Tensor& w);

}  // namespace e3::nn
