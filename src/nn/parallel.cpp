#include "e3/nn/parallel.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <mutex>

namespace e3::nn {

int parallel_team_size() {
  std::mutex mutex;
  int team = 1;
  // One item per thread at most: each thread that takes part reports its number.
  const int64_t items = std::max(1, at::get_num_threads());
  at::parallel_for(0, items, 1, [&](int64_t, int64_t) {
    std::lock_guard<std::mutex> lock(mutex);
    team = std::max(team, at::get_thread_num() + 1);
  });
  return team;
}

}  // namespace e3::nn
