// The library's parallel loops really run on the threads LibTorch is given: a build without
// OpenMP compiles at::parallel_for's region into a loop on the calling thread.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "e3/nn/parallel.h"

namespace e3::nn {
namespace {

class ThreadCount {
 public:
  explicit ThreadCount(int threads) : previous_(torch::get_num_threads()) { torch::set_num_threads(threads); }
  ~ThreadCount() { torch::set_num_threads(previous_); }

 private:
  int previous_;
};

TEST(NnParallel, LoopsRunOnEveryThreadLibTorchIsGiven) {
  for (int threads : {1, 2, 3}) {
    ThreadCount count(threads);
    EXPECT_EQ(parallel_team_size(), threads) << threads << " threads";
  }
}

}  // namespace
}  // namespace e3::nn
