#pragma once
// bfloat16 buffers kept as LibTorch tensors (so that memory trackers see them), handed to the
// raw-pointer kernels of bf16_gemm.h and bf16_pair_gemm.h as the bits those take.

#include <torch/types.h>

#include <cstdint>

namespace e3::nn {

/// The values of a kBFloat16 tensor as raw bfloat16 bits.
inline uint16_t* bfloat16_bits(const torch::Tensor& buffer) {
  return reinterpret_cast<uint16_t*>(buffer.data_ptr<at::BFloat16>());
}

}  // namespace e3::nn
