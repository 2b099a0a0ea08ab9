// Joining a run, on an in-memory c10d store: every rank registers and waits for the others;
// a rank given twice, disagreeing world sizes and ranks that do not come are named; a waiting
// rank asks the store one question per poll, however many ranks there are.

#include "e3/dist/rendezvous.h"

#include <gtest/gtest.h>

#include <thread>
#include <torch/csrc/distributed/c10d/HashStore.hpp>

#include "e3/dist/distributed_error.h"
#include "test_store.h"

namespace e3::dist {
namespace {

using Clock = std::chrono::steady_clock;

WorldOptions world(int world_size, int rank,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(300)) {
  return WorldOptions(world_size, rank, "node1", 29500).timeout(timeout);
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

// Joining means: join() returns on every rank, without an error, and on none before the last
// rank has come.
TEST(Rendezvous, EveryRankJoinsAndNoneBeforeTheLastHasCome) {
  constexpr int kRanks = 3;
  c10d::HashStore store;
  std::vector<Clock::time_point> returned(kRanks);
  std::vector<std::string> errors(kRanks);
  const auto join_as = [&](int rank) {
    try {
      join(store, world(kRanks, rank, std::chrono::seconds(30)));
    } catch (const std::exception& error) {
      errors[size_t(rank)] = error.what();
    }
    returned[size_t(rank)] = Clock::now();
  };
  std::vector<std::thread> early;
  for (int rank = 1; rank < kRanks; ++rank) early.emplace_back(join_as, rank);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the others wait for rank 0
  const auto last_came = Clock::now();
  join_as(0);
  for (auto& thread : early) thread.join();
  for (int rank = 0; rank < kRanks; ++rank) {
    EXPECT_EQ(errors[size_t(rank)], "") << "rank " << rank;
    EXPECT_GE(returned[size_t(rank)], last_came) << "rank " << rank << " returned before rank 0 came";
  }
}

// W ranks polling every rank's key would be W^2 requests to rank 0's store per poll: a rank
// polls one counter. Rank 0 of 64 alone: registering (3 requests), a poll every 50 ms (6 in
// 0.3 s), and once the timeout has passed, a look at every rank's key to name the missing.
TEST(Rendezvous, AWaitingRankMakesOneRequestAPoll) {
  constexpr int kRanks = 64;
  testing::TestStore store;
  join_error(store, world(kRanks, 0));
  EXPECT_LE(store.requests.load(), 3 + 6 + kRanks);
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
