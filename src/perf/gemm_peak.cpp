#include "e3/perf/gemm_peak.h"

#include <oneapi/dnnl/dnnl.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <stdexcept>

namespace e3::perf {
namespace {

// GFLOP/s of the best of `repeats` runs of `product` (after a warm-up), an n^3 product.
double best_rate(int64_t n, int repeats, const std::function<void()>& product) {
  product();
  double best = 1e30;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    product();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return 2.0 * double(n) * double(n) * double(n) / best / 1e9;
}

double libtorch_rate(torch::Dtype dtype, int64_t n, int repeats) {
  const auto options = torch::TensorOptions().dtype(dtype);
  const auto a = torch::randn({n, n}, options), b = torch::randn({n, n}, options);
  auto c = torch::empty({n, n}, options);
  return best_rate(n, repeats, [&] { torch::mm_out(c, a, b); });
}

double onednn_rate(int64_t n, int repeats) {
  const auto a = torch::randn({n, n}), b = torch::randn({n, n});
  auto c = torch::empty({n, n});
  return best_rate(n, repeats, [&] {
    if (dnnl_sgemm('N', 'N', n, n, n, 1.0f, a.data_ptr<float>(), n, b.data_ptr<float>(), n, 0.0f, c.data_ptr<float>(),
                   n) != dnnl_success) {
      throw std::runtime_error("dnnl_sgemm failed");
    }
  });
}

}  // namespace

GemmPeak measure_gemm_peak(const GemmPeakOptions& options) {
  const int64_t n = options.size();
  const int repeats = options.repeats();
  GemmPeak peak;
  peak.libtorch_float32 = libtorch_rate(torch::kFloat, n, repeats);
  peak.onednn_float32 = onednn_rate(n, repeats);
  if (options.bfloat16()) peak.bfloat16 = libtorch_rate(torch::kBFloat16, n, repeats);
  if (options.float64()) peak.float64 = libtorch_rate(torch::kDouble, n, repeats);
  return peak;
}

}  // namespace e3::perf
