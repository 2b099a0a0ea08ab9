#pragma once
// The machine's GEMM throughput, measured in the same run as a benchmark so that
// achieved/peak ratios hold across machines and loads.

#include <torch/types.h>

namespace e3::bench {

/// Best GFLOP/s of torch::mm on square matrices of size `n` over `repeats` runs.
double gemm_peak_gflops(torch::Dtype dtype, int64_t n = 1024, int repeats = 10);

}  // namespace e3::bench
