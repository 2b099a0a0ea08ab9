#include "gemm_peak.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

namespace e3::bench {

double gemm_peak_gflops(torch::Dtype dtype, int64_t n, int repeats) {
  const auto a = torch::randn({n, n}, torch::TensorOptions().dtype(dtype));
  const auto b = torch::randn({n, n}, torch::TensorOptions().dtype(dtype));
  auto c = torch::mm(a, b);  // warm-up
  double best = 1e30;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    c = torch::mm(a, b);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return 2.0 * double(n) * double(n) * double(n) / best / 1e9;
}

}  // namespace e3::bench
