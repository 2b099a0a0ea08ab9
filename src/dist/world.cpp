#include "e3/dist/world.h"

#include <exception>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>

#include "e3/dist/process_group.h"
#include "e3/dist/rendezvous.h"
#include "fault_monitor.h"

namespace e3::dist {
namespace {

// How often a waiting rank looks for another rank's verdict: short against a step, long
// against a store round trip.
constexpr auto kVerdictPoll = std::chrono::milliseconds(100);

}  // namespace

World::World(const WorldOptions& options) : options_(options) {}

std::shared_ptr<World> World::connect(const WorldOptions& options) {
  std::shared_ptr<World> world(new World(options));
  world->store_ = connect_store(options, hosts_store(options));
  // A heartbeat connection made again after a failed beat waits no longer than a beat: if it
  // fails, the next beat tries again, and the monitor stops promptly when asked.
  WorldOptions again = options;
  again.timeout(FaultMonitor::interval(options));
  world->monitor_ = std::make_unique<FaultMonitor>(
      options, connect_store(options, /*host=*/false), [again] { return connect_store(again, /*host=*/false); },
      world->store_);
  join(*world->store_, options);
  world->process_group_ = make_process_group(options, c10::make_intrusive<c10d::PrefixStore>("gloo", world->store_));
  return world;
}

World::~World() {
  // The heartbeat stops before leaving: a rank that left is not waited for any more.
  monitor_.reset();
  process_group_.reset();
  if (failed_ || std::uncaught_exceptions() > 0 || !store_) return;
  try {
    leave(*store_, options_);
  } catch (const std::exception&) {
    // Rank 0 is gone already: there is nothing left to keep up.
  }
}

void World::started() { monitor_->collective_started(); }

void World::wait(const c10::intrusive_ptr<c10d::Work>& work, const std::string& what) {
  for (;;) {
    try {
      work->wait(kVerdictPoll);
      return;
    } catch (const std::exception& error) {
      // The poll's timeout ("Operation timed out!") may be thrown just as the collective
      // completes: only a completion with an exception is a failure here; after a successful
      // one the next wait() returns at once.
      if (work->isCompleted() && !work->exception()) continue;
      try {
        if (work->isCompleted()) monitor_->fail(what, one_line(error));  // the collective failed here
        monitor_->check_verdict();                                       // still running: did another rank fail?
      } catch (const DistributedError&) {
        failed_ = true;
        throw;
      } catch (const std::exception& store_error) {
        failed_ = true;
        monitor_->fail(what, one_line(store_error));
      }
    }
  }
}

}  // namespace e3::dist
