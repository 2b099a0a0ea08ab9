// Benchmark of one KernelConv layer, fused op against the reference implementation.
//
// A QM9 batch (default: 16 molecules of the embedded sample, edges within the cutoff of
// Table 3.1's cosine basis), Rs 64x0+21x1 -> 64x0+21x0+21x1 (an L1Net layer with its gate
// scalars), l_f <= 2, 128 radial hidden units. For each implementation: median forward and
// backward time over --repeats runs (gradients with respect to features, harmonics, radial
// hidden activations and weights), peak tensor memory of one forward+backward (exact, from
// a tracking allocator) and the achieved GFLOP/s of its analytic FLOP count next to the GEMM
// peak measured in the same run.
//
//   bench_kernel_conv [--data PATH] [--batch 16] [--repeats 10] [--threads 2] [--double] [--seed 0]

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "e3/data/batch.h"
#include "e3/data/dataset.h"
#include "e3/data/sampler.h"
#include "e3/nn/kernel_conv_function.h"
#include "e3/nn/kernel_conv_reference.h"
#include "e3/nn/radial_basis.h"
#include "e3/o3/spherical_harmonics.h"
#include "bench_arguments.h"
#include "flop_count.h"
#include "gemm_peak.h"
#include "timing.h"
#include "memory_tracker.h"

namespace {

using e3::bench::median;
using e3::bench::seconds_since;
using e3::nn::KernelPlan;

struct Options {
  std::string data = std::string(E3_SOURCE_DIR) + "/data/qm9-sample/qm9-sample.extxyz.gz";
  int64_t batch = 16;
  int repeats = 10;
  int threads = 0;
  bool double_precision = false;
  uint64_t seed = 0;
};

Options parse(int argc, char** argv) {
  Options options;
  e3::bench::BenchArguments("bench_kernel_conv")
      .value("data", options.data)
      .value("batch", options.batch)
      .value("repeats", options.repeats)
      .value("threads", options.threads)
      .value("seed", options.seed)
      .flag("double", options.double_precision)
      .parse(argc, argv);
  return options;
}

struct Measurement {
  double forward_s = 0, backward_s = 0;
  int64_t peak_bytes = 0;
};

// One implementation: `run` returns the output of a forward pass over `leaves`.
Measurement measure(const std::function<torch::Tensor()>& run, const std::vector<torch::Tensor>& leaves,
                    const torch::Tensor& grad_output, int repeats, e3::bench::MemoryTracker& tracker) {
  auto zero = [&] {
    for (const auto& leaf : leaves) leaf.mutable_grad() = torch::Tensor();
  };
  // Peak memory of one forward+backward, above what is live before it.
  zero();
  const int64_t before = tracker.current();
  tracker.reset_peak();
  run().backward(grad_output);
  Measurement m;
  m.peak_bytes = tracker.peak() - before;
  zero();
  run().backward(grad_output);  // warm-up
  std::vector<double> forward, backward;
  for (int i = 0; i < repeats; ++i) {
    zero();
    auto start = std::chrono::steady_clock::now();
    const auto output = run();
    forward.push_back(seconds_since(start));
    start = std::chrono::steady_clock::now();
    output.backward(grad_output);
    backward.push_back(seconds_since(start));
  }
  m.forward_s = median(forward);
  m.backward_s = median(backward);
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  auto& tracker = e3::bench::MemoryTracker::install();
  if (options.threads > 0) torch::set_num_threads(options.threads);
  torch::manual_seed(options.seed);
  const auto dtype = options.double_precision ? torch::kDouble : torch::kFloat;

  // The batch: the first batch of a seeded shuffle, edges within Table 3.1's cosine basis cutoff.
  const auto dataset = e3::data::Dataset::read(options.data);
  const e3::nn::RadialBasis basis(e3::nn::RadialBasisOptions(e3::nn::RadialBasisType::cosine, 50, 10.0));
  const e3::data::BatchSampler sampler(dataset.all_indices(), options.batch, /*shuffle=*/true, options.seed);
  const auto batch = e3::data::collate(dataset, sampler.epoch(0).front(), basis->cutoff(), dtype);
  const auto graph = e3::nn::Graph::from_edges(batch.edge_src, batch.edge_dst, batch.num_atoms());
  const int64_t n = batch.num_atoms(), e = batch.num_edges(), hidden = 128;

  const auto plan = c10::make_intrusive<KernelPlan>(e3::o3::Rs::parse("64x0+21x1"),
                                                    e3::o3::Rs::parse("64x0+21x0+21x1"), 2,
                                                    e3::o3::ShNormalization::integral, double(e) / double(n));
  const auto tensor_options = torch::TensorOptions().dtype(dtype);
  const auto features = torch::randn({n, plan->rs_in().dim()}, tensor_options).requires_grad_();
  const auto vectors =
      batch.positions.index_select(0, graph.edge_src) - batch.positions.index_select(0, graph.edge_dst);
  const auto harmonics = e3::o3::spherical_harmonics(std::vector<int>{0, 1, 2}, vectors).detach().requires_grad_();
  const auto radial = torch::randn({e, hidden}, tensor_options).requires_grad_();
  const auto weight = (torch::randn({hidden, plan->num_weights()}, tensor_options) / std::sqrt(double(hidden)))
                          .requires_grad_();
  const auto grad_output = torch::randn({n, plan->rs_out().dim()}, tensor_options);
  const std::vector<torch::Tensor> leaves{features, harmonics, radial, weight};

  // The two implementations agree (the tests prove it to 1e-10 in float64); checked here too.
  const auto fused_run = [&] { return e3::nn::kernel_conv(plan, features, harmonics, radial, weight, graph); };
  const auto reference_run = [&] {
    return e3::nn::kernel_conv_reference(*plan, features, harmonics, radial, weight, graph);
  };
  {
    torch::NoGradGuard no_grad;
    const auto difference = (fused_run() - reference_run()).abs().max().item<double>();
    std::printf("max |fused - reference| = %.3g\n", difference);
  }

  const double peak = e3::bench::gemm_peak_gflops(dtype);
  const auto fused = measure(fused_run, leaves, grad_output, options.repeats, tracker);
  const auto reference = measure(reference_run, leaves, grad_output, options.repeats, tracker);
  const auto fused_count = e3::bench::fused_kernel_conv_flops(*plan, double(n), double(e), double(hidden));
  const auto reference_count = e3::bench::reference_kernel_conv_flops(*plan, double(e), double(hidden));

  std::printf("batch: %lld molecules, %lld atoms, %lld edges; %s; %d threads\n", (long long)options.batch,
              (long long)n, (long long)e, options.double_precision ? "float64" : "float32", torch::get_num_threads());
  std::printf("layer: %s -> %s, l_f <= 2, %lld radial hidden units, %lld paths, %lld radial weights per edge\n",
              plan->rs_in().str().c_str(), plan->rs_out().str().c_str(), (long long)hidden,
              (long long)plan->num_paths(), (long long)plan->num_weights());
  std::printf("GEMM peak (%s mm 1024^3): %.1f GFLOP/s\n\n", options.double_precision ? "float64" : "float32", peak);
  std::printf("%-10s %10s %10s %12s %12s %12s %9s\n", "", "fwd ms", "bwd ms", "fwd+bwd ms", "peak MiB", "GFLOP/s",
              "of peak");
  auto row = [&](const char* name, const Measurement& m, const e3::bench::Flops& f) {
    const double total = m.forward_s + m.backward_s;
    const double rate = (f.forward + f.backward) / total / 1e9;
    std::printf("%-10s %10.2f %10.2f %12.2f %12.1f %12.1f %8.0f%%\n", name, m.forward_s * 1e3, m.backward_s * 1e3,
                total * 1e3, double(m.peak_bytes) / (1 << 20), rate, 100.0 * rate / peak);
  };
  row("fused", fused, fused_count);
  row("reference", reference, reference_count);
  std::printf("\nfused vs reference: %.1fx faster (forward+backward), %.1fx less peak memory, %.1fx fewer FLOPs\n",
              (reference.forward_s + reference.backward_s) / (fused.forward_s + fused.backward_s),
              double(reference.peak_bytes) / double(fused.peak_bytes),
              (reference_count.forward + reference_count.backward) / (fused_count.forward + fused_count.backward));
  return 0;
}
