#include "e3/perf/part_profiler.h"

#include <ATen/SequenceNumber.h>
#include <ATen/record_function.h>

#include <chrono>
#include <cstring>
#include <iterator>
#include <stdexcept>
#include <vector>

namespace e3::perf {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kPartPrefix = "e3::";

// When an observed scope or autograd node started; handed from the start callback to the end one.
struct Started : at::ObserverContext {
  Clock::time_point time = Clock::now();
};

}  // namespace

struct PartProfiler::State {
  // An open part scope: its name and the time of the parts nested in it so far.
  struct Frame {
    std::string name;
    double nested_seconds = 0;
  };

  std::map<std::string, Times> times;
  std::vector<Frame> open;
  // Which part created the autograd nodes numbered from each key on, up to the next key.
  std::map<int64_t, std::string> owners;
  at::CallbackHandle handle = at::INVALID_CALLBACK_HANDLE;

  void mark_owner() {
    owners[static_cast<int64_t>(at::sequence_number::peek())] = open.empty() ? std::string() : open.back().name;
  }

  const std::string& owner(int64_t sequence_number) const {
    static const std::string none;
    if (sequence_number < 0) return none;  // gradient accumulation nodes carry no number
    auto after = owners.upper_bound(sequence_number);
    return after == owners.begin() ? none : std::prev(after)->second;
  }
};

namespace {

// The profiler observing this thread, if any: RecordFunction callbacks are plain functions.
thread_local PartProfiler::State* observing = nullptr;

bool is_part(const at::RecordFunction& fn) {
  return fn.scope() == at::RecordScope::USER_SCOPE && std::strncmp(fn.name(), kPartPrefix, std::strlen(kPartPrefix)) == 0;
}

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  if (!observing) return nullptr;
  if (is_part(fn)) {
    observing->open.push_back({fn.name()});
    observing->mark_owner();
  } else if (fn.scope() != at::RecordScope::BACKWARD_FUNCTION) {
    return nullptr;
  }
  return std::make_unique<Started>();
}

void on_end(const at::RecordFunction& fn, at::ObserverContext* context) {
  if (!observing || !context) return;
  const double seconds = std::chrono::duration<double>(Clock::now() - static_cast<Started*>(context)->time).count();
  if (fn.scope() == at::RecordScope::BACKWARD_FUNCTION) {
    observing->times[observing->owner(fn.seqNr())].backward += seconds;
    return;
  }
  auto& open = observing->open;
  if (open.empty()) return;
  observing->times[open.back().name].forward += seconds - open.back().nested_seconds;
  open.pop_back();
  if (!open.empty()) open.back().nested_seconds += seconds;
  observing->mark_owner();
}

}  // namespace

PartProfiler::PartProfiler() : state_(std::make_unique<State>()) {
  if (observing) throw std::logic_error("PartProfiler: this thread is observed already");
  state_->handle = at::addThreadLocalCallback(
      at::RecordFunctionCallback(&on_start, &on_end)
          .scopes({at::RecordScope::USER_SCOPE, at::RecordScope::BACKWARD_FUNCTION}));
  observing = state_.get();
}

PartProfiler::~PartProfiler() {
  at::removeCallback(state_->handle);
  observing = nullptr;
}

const std::map<std::string, PartProfiler::Times>& PartProfiler::times() const { return state_->times; }

}  // namespace e3::perf
