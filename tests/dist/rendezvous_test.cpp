// Joining a run, on an in-memory c10d store: every rank registers and waits for the others;
// a rank given twice, disagreeing world sizes and ranks that do not come are named.

#include "e3/dist/rendezvous.h"

#include <gtest/gtest.h>

#include <thread>
#include <torch/csrc/distributed/c10d/HashStore.hpp>

#include "e3/dist/distributed_error.h"

namespace e3::dist {
namespace {

WorldOptions world(int world_size, int rank) {
  return WorldOptions(world_size, rank, "node1", 29500).timeout(std::chrono::milliseconds(300));
}

// The DistributedError of join() (fails the test when there is none).
DistributedError join_error(c10d::Store& store, const WorldOptions& options) {
  try {
    join(store, options);
  } catch (const DistributedError& error) {
    return error;
  }
  ADD_FAILURE() << "no DistributedError";
  return DistributedError("");
}

TEST(Rendezvous, EveryRankJoins) {
  c10d::HashStore store;
  std::thread other([&] { join(store, world(3, 2)); });
  std::thread another([&] { join(store, world(3, 1)); });
  join(store, world(3, 0));
  other.join();
  another.join();
}

TEST(Rendezvous, RanksThatDoNotComeAreNamed) {
  c10d::HashStore store;
  const auto error = join_error(store, world(4, 1));
  EXPECT_STREQ(error.what(), "ranks 0, 2, 3 of 4 did not join the run at node1:29500 within 0.3 s (seen from rank 1)");
  EXPECT_EQ(error.ranks(), (std::vector<int>{0, 2, 3}));
}

TEST(Rendezvous, ARankGivenTwice) {
  c10d::HashStore store;
  join_error(store, world(2, 1));  // times out: rank 0 never comes
  const auto error = join_error(store, world(2, 1));
  EXPECT_STREQ(error.what(), "rank 1 joined the run at node1:29500 twice: two processes were given rank 1");
}

TEST(Rendezvous, DisagreeingWorldSizes) {
  c10d::HashStore store;
  join_error(store, world(2, 0));
  const auto error = join_error(store, world(3, 1));
  EXPECT_STREQ(error.what(), "rank 1 was started with a world size of 3 but the first rank to join node1:29500 with 2");
}

TEST(Rendezvous, Formats) {
  EXPECT_EQ(master_address(WorldOptions(2, 0, "::1", 80)), "[::1]:80");
  EXPECT_EQ(format_seconds(std::chrono::milliseconds(1500)), "1.5 s");
  EXPECT_EQ(format_seconds(std::chrono::milliseconds(300000)), "300 s");
}

}  // namespace
}  // namespace e3::dist
