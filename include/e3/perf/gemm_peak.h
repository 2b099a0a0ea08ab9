#pragma once
// The machine's GEMM throughput, measured in the same run as a benchmark so that
// achieved/peak ratios hold across machines and loads.

#include <torch/arg.h>

#include <cstdint>

namespace e3::perf {

/// Best GFLOP/s of square n x n x n products, each library that e3cpp's arithmetic runs on.
struct GemmPeak {
  double libtorch_float32 = 0;  ///< torch::mm in float32: the system BLAS (OpenBLAS)
  double onednn_float32 = 0;    ///< oneDNN's sgemm, which the fused KernelConv calls
  double bfloat16 = 0;          ///< torch::mm in bfloat16 (oneDNN); 0 when not measured
  double float64 = 0;           ///< torch::mm in float64 (OpenBLAS); 0 when not measured
  /// The float32 peak ratios are taken against: the faster library. OpenBLAS runs the
  /// kernels OPENBLAS_CORETYPE names (some environments set Haswell, AVX2 only, on AVX-512
  /// CPUs), oneDNN always those of the CPU it runs on.
  double float32() const { return libtorch_float32 > onednn_float32 ? libtorch_float32 : onednn_float32; }
};

struct GemmPeakOptions {
  /// Measure bfloat16 too (on a CPU without AVX512_BF16 or AMX it runs a slow emulation).
  TORCH_ARG(bool, bfloat16) = false;
  TORCH_ARG(bool, float64) = false;
  TORCH_ARG(int64_t, size) = 1024;
  TORCH_ARG(int, repeats) = 10;
};

/// Measures the peaks on the calling thread count (at::get_num_threads()): the best of
/// `repeats` products of size^3 after one warm-up each.
GemmPeak measure_gemm_peak(const GemmPeakOptions& options = {});

}  // namespace e3::perf
