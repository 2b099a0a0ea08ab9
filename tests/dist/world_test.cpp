// World::wait polls a collective in short waits (to look for another rank's verdict between
// them): the end of such a poll is not the failure of the collective.

#include "e3/dist/world.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "e3/dist/distributed_error.h"
#include "e3/dist/launcher.h"

namespace e3::dist {
namespace {

// A collective that completes, successfully or with `failure`, just as a poll's wait times out:
// the race between c10d::Work::wait's timeout and the backend's thread, made certain.
class CompletesAsThePollTimesOut : public c10d::Work {
 public:
  explicit CompletesAsThePollTimesOut(std::exception_ptr failure = nullptr) : failure_(std::move(failure)) {}

  bool wait(std::chrono::milliseconds timeout) override {
    if (!isCompleted()) {
      finish(failure_);
      if (timeout != kNoTimeout) throw std::runtime_error("Operation timed out!");
    }
    if (exception()) std::rethrow_exception(exception());
    return true;
  }

 private:
  std::exception_ptr failure_;
};

std::shared_ptr<World> world_of_one() { return World::connect(WorldOptions(1, 0, "127.0.0.1", free_port())); }

TEST(World, ACollectiveThatCompletesAsItsPollTimesOutHasSucceeded) {
  const auto world = world_of_one();
  world->started();
  EXPECT_NO_THROW(world->wait(c10::make_intrusive<CompletesAsThePollTimesOut>(), "the test's collective"));
}

TEST(World, ACollectiveThatFailsAsItsPollTimesOutIsAFailure) {
  const auto world = world_of_one();
  world->started();
  const auto failure = std::make_exception_ptr(std::runtime_error("Connection reset by peer"));
  try {
    world->wait(c10::make_intrusive<CompletesAsThePollTimesOut>(failure), "the test's collective");
    ADD_FAILURE() << "no error";
  } catch (const DistributedError& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("the test's collective failed on rank 0"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace e3::dist
