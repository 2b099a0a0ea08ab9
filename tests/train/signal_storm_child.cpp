// A process that handles signals while oneDNN's JIT GEMM runs, for signal_thread_test.cpp.
//
//   signal_storm_child [--unrouted] SECONDS
//
// Unless --unrouted, it first calls e3::train::handle_signals_on_own_thread(), as e3cpp's main()
// does. Then it installs a SIGUSR1 handler, and while one thread sends the process SIGUSR1
// every 100 us, the main thread multiplies two matrices with dnnl_sgemm (the entry point the
// fused KernelConv uses) again and again, with heap allocations around each call. Every product
// is exact (its entries are sums of 384 equal powers of two), so a single changed value shows.
// It prints "handled H signals, G products, W wrong values, H_ON_GEMM on the GEMM thread" and
// exits with 0 only when every value was right and no handler ran on the GEMM thread. (Without
// the routing, Debian's libdnnl 2.7 lets a signal frame land in the heap: the process aborts
// in malloc or computes wrong values within a second.)

#include <oneapi/dnnl/dnnl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "e3/train/signal_thread.h"

namespace {

std::atomic<long> handled{0}, handled_on_gemm_thread{0};
std::atomic<long> gemm_thread{0};

extern "C" void on_signal(int) {
  ++handled;
  if (syscall(SYS_gettid) == gemm_thread.load()) ++handled_on_gemm_thread;
}

}  // namespace

int main(int argc, char** argv) {
  const bool unrouted = argc > 1 && std::string(argv[1]) == "--unrouted";
  const double seconds = argc > 1 ? std::atof(argv[argc - 1]) : 2.0;
  if (!unrouted) e3::train::handle_signals_on_own_thread();
  gemm_thread = syscall(SYS_gettid);
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigaction(SIGUSR1, &action, nullptr);

  const int n = 384;
  const std::vector<float> a(size_t(n) * n, 0.5f), b(size_t(n) * n, 0.25f);
  std::vector<float> c(size_t(n) * n);
  const float exact = 0.125f * n;
  std::atomic<bool> done{false};
  std::thread sender([&] {
    while (!done) {
      kill(getpid(), SIGUSR1);
      usleep(100);
    }
  });
  long products = 0, wrong = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    std::vector<float> neighbour(1000, 1.0f);  // heap blocks next to the GEMM's buffers
    dnnl_sgemm('N', 'N', n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
    for (float value : c) wrong += value != exact;
    for (float value : neighbour) wrong += value != 1.0f;
    ++products;
  }
  done = true;
  sender.join();
  std::printf("handled %ld signals, %ld products, %ld wrong values, %ld on the GEMM thread\n", handled.load(),
              products, wrong, handled_on_gemm_thread.load());
  return wrong == 0 && handled_on_gemm_thread == 0 ? 0 : 1;
}
