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
// --bf16-mixed adds a row for the fused op under GemmPrecision::bf16_mixed (where the CPU has
// AVX512_BF16 or AMX), its speed-up over the float32 fused op of the same run, its largest
// deviation from float32 relative to the output's scale, and the bfloat16 GEMM peak.
// --scaling adds the fused op and the GEMM peak on one thread, measured in the same run, and
// the speed-up of --threads over one. --fused-only leaves the reference out (a profile of the
// fused op alone).
//
//   bench_kernel_conv [--data PATH] [--batch 16] [--repeats 10] [--threads 2] [--double] [--bf16-mixed]
//                     [--scaling] [--fused-only] [--seed 0]

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
#include "e3/perf/flop_count.h"
#include "e3/perf/gemm_peak.h"
#include "e3/perf/machine.h"
#include "e3/train/reuse_freed_memory.h"
#include "args.h"
#include "memory_tracker.h"
#include "timing.h"

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
  bool bf16_mixed = false;
  bool fused_only = false;
  bool scaling = false;
  uint64_t seed = 0;
};

Options parse(int argc, char** argv) {
  Options options;
  e3::cli::ArgParser parser("bench_kernel_conv",
                           "One L1Net KernelConv layer on a QM9 batch: the fused op against the reference.");
  parser.option("data", "FILE", "molecules of the batch", options.data)
      .option("batch", "N", "molecules in the batch", std::to_string(options.batch))
      .option("repeats", "N", "repeats of each measurement", std::to_string(options.repeats))
      .option("threads", "N", "threads (0: LibTorch's default)", std::to_string(options.threads))
      .option("seed", "N", "seed of the weights and of the batch's molecules", std::to_string(options.seed))
      .flag("double", "float64 instead of float32")
      .flag("bf16-mixed", "add the bfloat16 path (AVX512_BF16 or AMX)")
      .flag("fused-only", "leave the reference out (for a profiler)")
      .flag("scaling", "add the fused op on one thread, measured in the same run");
  e3::cli::parse_program_arguments(parser, argc, argv, [&](const e3::cli::ParsedArgs& args) {
    options.data = args.value("data");
    options.batch = args.integer("batch");
    options.repeats = static_cast<int>(args.integer("repeats"));
    options.threads = static_cast<int>(args.integer("threads"));
    const long long seed = args.integer("seed");
    if (seed < 0) throw e3::cli::UsageError("--seed expects a non-negative integer");
    options.seed = static_cast<uint64_t>(seed);
    options.double_precision = args.flag("double");
    options.bf16_mixed = args.flag("bf16-mixed");
    options.fused_only = args.flag("fused-only");
    options.scaling = args.flag("scaling");
    if (options.bf16_mixed && options.double_precision) {
      throw e3::cli::UsageError("--bf16-mixed applies to float32, not --double");
    }
    if (options.bf16_mixed && !e3::nn::cpu_has_bf16_gemm()) {
      throw e3::cli::UsageError("--bf16-mixed: this CPU has neither AVX512_BF16 nor AMX");
    }
  });
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
  e3::train::reuse_freed_memory();
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
  const auto mixed_run = [&] {
    return e3::nn::kernel_conv(plan, features, harmonics, radial, weight, graph, e3::nn::GemmPrecision::bf16_mixed);
  };
  const auto reference_run = [&] {
    return e3::nn::kernel_conv_reference(*plan, features, harmonics, radial, weight, graph);
  };
  {
    torch::NoGradGuard no_grad;
    if (!options.fused_only) {
      const auto difference = (fused_run() - reference_run()).abs().max().item<double>();
      std::printf("max |fused - reference| = %.3g\n", difference);
    }
    if (options.bf16_mixed) {
      const auto exact = fused_run();
      const double deviation = ((mixed_run() - exact).abs().max() / exact.abs().max()).item<double>();
      std::printf("max |bf16-mixed - float32| / max |float32| = %.3g\n", deviation);
    }
  }

  // The GEMM peak: float64's, or float32's (the faster of LibTorch's BLAS and oneDNN).
  const auto peak_options = e3::perf::GemmPeakOptions().bfloat16(options.bf16_mixed).float64(options.double_precision);
  const auto gemm = e3::perf::measure_gemm_peak(peak_options);
  const double peak = options.double_precision ? gemm.float64 : gemm.float32();
  const auto fused = measure(fused_run, leaves, grad_output, options.repeats, tracker);
  const auto reference =
      options.fused_only ? Measurement{} : measure(reference_run, leaves, grad_output, options.repeats, tracker);
  const auto mixed = options.bf16_mixed ? measure(mixed_run, leaves, grad_output, options.repeats, tracker) : Measurement{};
  // --scaling: the fused op and the peak again on one thread, in this run.
  Measurement single;
  double single_peak = 0;
  const int threads = torch::get_num_threads();
  if (options.scaling) {
    torch::set_num_threads(1);
    const auto gemm1 = e3::perf::measure_gemm_peak(peak_options);
    single_peak = options.double_precision ? gemm1.float64 : gemm1.float32();
    single = measure(fused_run, leaves, grad_output, options.repeats, tracker);
    torch::set_num_threads(threads);
  }
  const auto fused_count = e3::perf::fused_kernel_conv_flops(*plan, double(n), double(e), double(hidden));
  const auto reference_count = e3::perf::reference_kernel_conv_flops(*plan, double(e), double(hidden));

  std::printf("CPU: %s; batch: %lld molecules, %lld atoms, %lld edges; %s; %d threads\n", e3::perf::cpu_model().c_str(),
              (long long)options.batch, (long long)n, (long long)e, options.double_precision ? "float64" : "float32",
              threads);
  std::printf("layer: %s -> %s, l_f <= 2, %lld radial hidden units, %lld paths, %lld radial weights per edge\n",
              plan->rs_in().str().c_str(), plan->rs_out().str().c_str(), (long long)hidden,
              (long long)plan->num_paths(), (long long)plan->num_weights());
  if (options.double_precision) {
    std::printf("GEMM peak (1024^3): float64 %.1f GFLOP/s", peak);
  } else {
    std::printf("GEMM peak (1024^3): float32 %.1f GFLOP/s (LibTorch on OpenBLAS %s %.1f, oneDNN %.1f)", peak,
                e3::perf::blas_core_name().c_str(), gemm.libtorch_float32, gemm.onednn_float32);
  }
  if (options.bf16_mixed) std::printf("; bfloat16 %.1f GFLOP/s", gemm.bfloat16);
  std::printf("\n\n");
  std::printf("%-10s %10s %10s %12s %12s %12s %9s\n", "", "fwd ms", "bwd ms", "fwd+bwd ms", "peak MiB", "GFLOP/s",
              "of peak");
  auto row = [&](const char* name, const Measurement& m, const e3::perf::Flops& f, double against) {
    const double total = m.forward_s + m.backward_s;
    const double rate = f.total() / total / 1e9;
    std::printf("%-10s %10.2f %10.2f %12.2f %12.1f %12.1f %8.0f%%\n", name, m.forward_s * 1e3, m.backward_s * 1e3,
                total * 1e3, double(m.peak_bytes) / (1 << 20), rate, 100.0 * rate / against);
  };
  row("fused", fused, fused_count, peak);
  if (options.bf16_mixed) row("bf16-mixed", mixed, fused_count, peak);
  if (!options.fused_only) row("reference", reference, reference_count, peak);
  if (options.scaling) row("fused, 1t", single, fused_count, single_peak);
  std::printf("\n");
  if (!options.fused_only) {
    std::printf("fused vs reference: %.1fx faster (forward+backward), %.1fx less peak memory, %.1fx fewer FLOPs\n",
                (reference.forward_s + reference.backward_s) / (fused.forward_s + fused.backward_s),
                double(reference.peak_bytes) / double(fused.peak_bytes), reference_count.total() / fused_count.total());
  }
  if (options.bf16_mixed) {
    std::printf("bf16-mixed vs float32 fused: %.2fx faster (forward %.2fx, backward %.2fx); its 'of peak' is of the float32 peak\n",
                (fused.forward_s + fused.backward_s) / (mixed.forward_s + mixed.backward_s),
                fused.forward_s / mixed.forward_s, fused.backward_s / mixed.backward_s);
  }
  if (options.scaling) {
    std::printf("%d threads vs 1 (fused, forward+backward): %.2fx; GEMM peak %.2fx (fused, 1t: of the 1-thread peak)\n",
                threads, (single.forward_s + single.backward_s) / (fused.forward_s + fused.backward_s),
                peak / single_peak);
  }
  return 0;
}
