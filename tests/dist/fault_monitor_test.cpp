// The heartbeat of a rank outlives a store connection that fails for a while (shorter than the
// timeout), or a healthy rank would be blamed as frozen; it stops once beats have failed for
// longer than the timeout (the store is gone).

#include "dist/fault_monitor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "e3/dist/rendezvous.h"
#include "test_store.h"

namespace e3::dist {
namespace {

using std::chrono::milliseconds;
using testing::TestStore;

// The beats rank `rank` has published in `store`.
int64_t beats(c10d::Store& store, int rank) {
  int64_t count = 0;
  std::istringstream(to_text(store.get("heartbeat/" + std::to_string(rank)))) >> count;
  return count;
}

// Waits up to `seconds` for `condition`.
template <typename Condition>
bool eventually(Condition condition, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

TEST(FaultMonitor, BeatsAgainAfterTheStoreFailedForLessThanTheTimeout) {
  const auto options = WorldOptions(2, 1, "node1", 29500).timeout(milliseconds(3000));  // a beat every 0.3 s
  auto heartbeat = c10::make_intrusive<TestStore>();
  std::atomic<int> reconnects{0};
  const auto reconnect = [&]() -> c10::intrusive_ptr<c10d::Store> {
    ++reconnects;
    return heartbeat;
  };
  FaultMonitor monitor(options, heartbeat, reconnect, c10::make_intrusive<TestStore>(heartbeat->shared()));
  c10d::Store& shared = *heartbeat->shared();
  ASSERT_EQ(beats(shared, 1), 1);  // the first beat, before the constructor returned
  heartbeat->failing = true;
  ASSERT_TRUE(eventually([&] { return heartbeat->requests >= 4; }, 10.0)) << "3 beats failed";
  heartbeat->failing = false;
  const int64_t before = beats(shared, 1);
  EXPECT_TRUE(eventually([&] { return beats(shared, 1) > before; }, 2.0)) << "no beat after the store recovered";
  EXPECT_GE(reconnects, 1) << "a connection whose request failed is made again";
}

TEST(FaultMonitor, StopsBeatingWhenTheStoreFailedForLongerThanTheTimeout) {
  const auto options = WorldOptions(2, 1, "node1", 29500).timeout(milliseconds(500));  // a beat every 0.1 s
  auto heartbeat = c10::make_intrusive<TestStore>();
  const auto reconnect = [&]() -> c10::intrusive_ptr<c10d::Store> { return heartbeat; };
  FaultMonitor monitor(options, heartbeat, reconnect, c10::make_intrusive<TestStore>());
  heartbeat->failing = true;
  std::this_thread::sleep_for(milliseconds(2000));
  const int64_t tried = heartbeat->requests;
  EXPECT_GE(tried, 1 + 4) << "beats tried again within the timeout";
  std::this_thread::sleep_for(milliseconds(1000));
  EXPECT_EQ(heartbeat->requests.load(), tried) << "beats still tried long after the timeout";
}

}  // namespace
}  // namespace e3::dist
