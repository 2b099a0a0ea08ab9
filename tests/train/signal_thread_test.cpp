// e3::train::handle_signals_on_own_thread(): signals handled while oneDNN's JIT GEMM runs
// leave the heap and the products intact, because their handlers never run on a GEMM thread.

#include <gtest/gtest.h>

#include "process.h"

namespace e3::testing {
namespace {

const std::string kChild = SIGNAL_STORM_CHILD;

TEST(SignalThread, SignalsDuringGemmsAreHandledElsewhereAndChangeNothing) {
  // About 10,000 signals over 2 s of back-to-back GEMMs: without the routing, the first few
  // hundred corrupt this oneDNN's heap (the --unrouted child aborts or counts wrong values).
  const auto result = run_process(kChild + " 2");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  long handled = 0, products = 0, wrong = -1, on_gemm_thread = -1;
  ASSERT_EQ(std::sscanf(result.out.c_str(), "handled %ld signals, %ld products, %ld wrong values, %ld", &handled,
                        &products, &wrong, &on_gemm_thread),
            4)
      << result.out;
  EXPECT_GT(handled, 1000) << "the storm did not happen: " << result.out;
  EXPECT_GT(products, 10) << result.out;
  EXPECT_EQ(wrong, 0) << result.out;
  EXPECT_EQ(on_gemm_thread, 0) << result.out;
}

}  // namespace
}  // namespace e3::testing
