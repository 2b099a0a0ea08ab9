#include "e3/dist/rendezvous.h"

#include <glog/logging.h>

#include <thread>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>

#include "e3/dist/distributed_error.h"

namespace e3::dist {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(50);

std::string rank_key(int rank) { return "joined/" + std::to_string(rank); }

// How many ranks have joined: one counter, so that a waiting rank asks the store one question
// per poll, not one per rank (W ranks polling W keys are W^2 requests to rank 0's store).
const std::string kJoinedKey = "joined";

// The ranks that have not joined (yet): a request per rank, for the message of a timeout only.
std::vector<int> missing_ranks(c10d::Store& store, int world_size) {
  std::vector<int> missing;
  for (int r = 0; r < world_size; ++r) {
    if (!store.check({rank_key(r)})) missing.push_back(r);
  }
  return missing;
}

// c10d logs a failed connection through glog (three lines on standard error) before throwing
// the error that connect_store() turns into its own one-line message; the log is silenced
// while connecting.
class QuietLog {
 public:
  QuietLog() : saved_(FLAGS_minloglevel) { FLAGS_minloglevel = google::GLOG_FATAL; }
  ~QuietLog() { FLAGS_minloglevel = saved_; }

 private:
  int saved_;
};

}  // namespace

std::vector<uint8_t> to_bytes(const std::string& text) { return {text.begin(), text.end()}; }
std::string to_text(const std::vector<uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

std::string format_seconds(std::chrono::milliseconds duration) {
  std::string text = std::to_string(double(duration.count()) / 1000.0);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text + " s";
}

std::string master_address(const WorldOptions& options) {
  const bool v6 = options.master_addr().find(':') != std::string::npos;
  return (v6 ? "[" + options.master_addr() + "]" : options.master_addr()) + ":" + std::to_string(options.master_port());
}

std::string store_host(const WorldOptions& options) {
  if (options.agent_store()) return "the store at " + master_address(options) + " (hosted by the launcher)";
  return "rank 0 (the master, hosting the store at " + master_address(options) + ")";
}

c10::intrusive_ptr<c10d::Store> connect_store(const WorldOptions& options, bool host) {
  c10d::TCPStoreOptions store_options;
  store_options.port = static_cast<std::uint16_t>(options.master_port());
  store_options.isServer = host;
  store_options.waitWorkers = false;  // join() waits, and can name who is missing
  store_options.timeout = options.timeout();
  try {
    const QuietLog quiet;
    return c10::make_intrusive<c10d::PrefixStore>(
        "e3/attempt_" + std::to_string(options.attempt()),
        c10::make_intrusive<c10d::TCPStore>(options.master_addr(), store_options));
  } catch (const std::exception& error) {
    const std::string who = "rank " + std::to_string(options.rank());
    if (host) {
      throw DistributedError(who + " cannot host the rendezvous store at " + master_address(options) + ": " +
                             one_line(error));
    }
    throw DistributedError(who + " cannot reach the master at " + master_address(options) + " within " +
                               format_seconds(options.timeout()) + ": " + one_line(error),
                           {0});
  }
}

void join(c10d::Store& store, const WorldOptions& options) {
  const std::string me = "rank " + std::to_string(options.rank());
  if (store.add(rank_key(options.rank()), 1) > 1) {
    throw DistributedError(me + " joined the run at " + master_address(options) +
                               " twice: two processes were given rank " + std::to_string(options.rank()),
                           {options.rank()});
  }
  const std::string size = std::to_string(options.world_size());
  const std::string first_size = to_text(store.compareSet("world_size", {}, to_bytes(size)));
  if (first_size != size) {
    throw DistributedError(me + " was started with a world size of " + size + " but the first rank to join " +
                               master_address(options) + " with " + first_size,
                           {options.rank()});
  }
  // Counted only once its rank and world size are known good: the count is of distinct ranks.
  int64_t joined = store.add(kJoinedKey, 1);
  const auto deadline = Clock::now() + options.timeout();
  while (joined < options.world_size()) {
    if (Clock::now() >= deadline) {
      const auto missing = missing_ranks(store, options.world_size());
      if (missing.empty()) return;  // the last ones came just now
      throw DistributedError(describe_ranks(missing) + " of " + size + " did not join the run at " +
                                 master_address(options) + " within " + format_seconds(options.timeout()) +
                                 " (seen from " + me + ")",
                             missing);
    }
    std::this_thread::sleep_for(kPollInterval);
    joined = store.add(kJoinedKey, 0);
  }
}

void leave(c10d::Store& store, const WorldOptions& options) {
  store.add("left", 1);
  if (!hosts_store(options)) return;
  const auto deadline = Clock::now() + options.timeout();
  while (store.add("left", 0) < options.world_size() && Clock::now() < deadline) {
    std::this_thread::sleep_for(kPollInterval);
  }
}

}  // namespace e3::dist
