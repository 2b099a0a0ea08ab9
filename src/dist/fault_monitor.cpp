#include "fault_monitor.h"

#include <algorithm>
#include <sstream>

#include "e3/dist/distributed_error.h"
#include "e3/dist/rendezvous.h"

namespace e3::dist {
namespace {

const std::string kVerdictKey = "verdict";

std::string heartbeat_key(int rank) { return "heartbeat/" + std::to_string(rank); }

struct Heartbeat {
  int64_t beats = 0, collectives = 0;
};

Heartbeat read_heartbeat(c10d::Store& store, int rank) {
  Heartbeat heartbeat;
  std::istringstream(to_text(store.get(heartbeat_key(rank)))) >> heartbeat.beats >> heartbeat.collectives;
  return heartbeat;
}

// A verdict in the store: "RANK,RANK,...|MESSAGE".
std::string encode(const std::vector<int>& ranks, const std::string& message) {
  std::string text;
  for (size_t i = 0; i < ranks.size(); ++i) text += (i ? "," : "") + std::to_string(ranks[i]);
  return text + "|" + message;
}

}  // namespace

std::chrono::milliseconds FaultMonitor::interval(const WorldOptions& options) {
  return std::clamp<std::chrono::milliseconds>(options.timeout() / 10, std::chrono::milliseconds(100),
                                               std::chrono::milliseconds(1000));
}

FaultMonitor::FaultMonitor(const WorldOptions& options, c10::intrusive_ptr<c10d::Store> heartbeat_store,
                           Connect reconnect, c10::intrusive_ptr<c10d::Store> store)
    : options_(options),
      heartbeat_store_(std::move(heartbeat_store)),
      reconnect_(std::move(reconnect)),
      store_(std::move(store)),
      interval_(interval(options)) {
  beat();
  thread_ = std::thread([this] { beat_loop(); });
}

FaultMonitor::~FaultMonitor() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void FaultMonitor::beat() {
  if (!heartbeat_store_) heartbeat_store_ = reconnect_();
  ++beats_;
  try {
    heartbeat_store_->set(heartbeat_key(options_.rank()),
                          to_bytes(std::to_string(beats_) + " " + std::to_string(collectives_.load())));
  } catch (...) {
    // A connection whose request failed may be broken or out of step with the store's
    // replies: the next beat makes a new one.
    heartbeat_store_.reset();
    throw;
  }
}

void FaultMonitor::beat_loop() {
  using Clock = std::chrono::steady_clock;
  auto last_beat = Clock::now();
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    }
    try {
      beat();
      last_beat = Clock::now();
    } catch (const std::exception&) {
      // Beats that fail for longer than the timeout mean the store is gone (rank 0 exited): a
      // collective fails and fail() says so. Until then the next beat tries again.
      if (Clock::now() - last_beat > options_.timeout()) return;
    }
  }
}

void FaultMonitor::throw_verdict(const std::string& verdict) const {
  const auto bar = verdict.find('|');
  std::vector<int> ranks;
  std::istringstream list(verdict.substr(0, bar));
  for (std::string rank; std::getline(list, rank, ',');) ranks.push_back(std::stoi(rank));
  throw DistributedError("rank " + std::to_string(options_.rank()) + ": " + verdict.substr(bar + 1), ranks);
}

void FaultMonitor::check_verdict() {
  if (store_->check({kVerdictKey})) throw_verdict(to_text(store_->get(kVerdictKey)));
}

std::string FaultMonitor::diagnose(const std::string& what, const std::string& cause, std::vector<int>& culprits) {
  std::vector<Heartbeat> before(static_cast<size_t>(options_.world_size()));
  for (int r = 0; r < options_.world_size(); ++r) before[size_t(r)] = read_heartbeat(*store_, r);
  // Three beats, and at least a second: a live rank's heartbeat thread, however loaded its
  // machine, must not look frozen.
  const auto window = std::max<std::chrono::milliseconds>(3 * interval_, std::chrono::seconds(1));
  std::this_thread::sleep_for(window);
  std::vector<int> frozen, behind;
  const int64_t mine = collectives_.load();
  for (int r = 0; r < options_.world_size(); ++r) {
    if (r == options_.rank()) continue;
    const Heartbeat now = read_heartbeat(*store_, r);
    if (now.beats == before[size_t(r)].beats) {
      frozen.push_back(r);
    } else if (now.collectives < mine) {
      behind.push_back(r);
    }
  }
  if (!frozen.empty()) {
    culprits = frozen;
    return what + " failed: " + describe_ranks(frozen) + " stopped responding (no heartbeat for " +
           format_seconds(window) + ": exited, killed, stopped or unreachable)";
  }
  if (!behind.empty()) {
    culprits = behind;
    return what + " failed: " + describe_ranks(behind) + " did not reach it within " +
           format_seconds(options_.timeout()) + " (alive, but stuck elsewhere)";
  }
  return what + " failed on rank " + std::to_string(options_.rank()) + ": " + cause;
}

void FaultMonitor::fail(const std::string& what, const std::string& cause) {
  std::string verdict;
  try {
    check_verdict();
    std::vector<int> culprits;
    const std::string message = diagnose(what, cause, culprits);
    // The first verdict published wins: every rank reports the same one.
    verdict = to_text(store_->compareSet(kVerdictKey, {}, to_bytes(encode(culprits, message))));
  } catch (const DistributedError&) {
    throw;
  } catch (const std::exception& store_error) {
    if (hosts_store(options_)) {
      throw DistributedError("rank 0: " + what + " failed: " + cause + " (and the store failed: " +
                             one_line(store_error) + ")");
    }
    throw DistributedError("rank " + std::to_string(options_.rank()) + ": " + what + " failed: " +
                               store_host(options_) + " is unreachable: " + one_line(store_error),
                           options_.agent_store() ? std::vector<int>{} : std::vector<int>{0});
  }
  throw_verdict(verdict);
}

}  // namespace e3::dist
