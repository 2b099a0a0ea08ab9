#pragma once
// Where a step's time goes: times the parts of a network, the RecordFunction user scopes
// whose names start with "e3::" (e3/nn/step_parts.h), forward and backward, on the calling
// thread while a PartProfiler exists.
//
// A part's forward time is the time inside its scope less the time of the parts nested in it
// (a head's convolutions are convolutions, not the head). Its backward time is the time of
// the autograd nodes it created: every node takes the thread's next sequence number
// (at::sequence_number) when it is created, so the numbers taken between a scope's start and
// end belong to that part, and the autograd engine runs each node inside a RecordFunction of
// scope BACKWARD_FUNCTION that carries the node's number. On CPU the engine runs the nodes on
// the thread that called backward(). Nodes created outside every part (gradient accumulation,
// residual sums) are under the empty name.
//
// The observer adds a few microseconds per scope and autograd node: a profiled step is slower
// than a plain one, and its shares are those of the profiled step.

#include <map>
#include <memory>
#include <string>

namespace e3::perf {

class PartProfiler {
 public:
  /// Seconds spent in one part.
  struct Times {
    double forward = 0;
    double backward = 0;
  };

  /// Starts observing this thread (std::logic_error when another PartProfiler observes it).
  PartProfiler();
  /// Stops observing.
  ~PartProfiler();
  PartProfiler(const PartProfiler&) = delete;
  PartProfiler& operator=(const PartProfiler&) = delete;

  /// The seconds of each part (by scope name; "" for the backward of nodes outside every part)
  /// since construction.
  const std::map<std::string, Times>& times() const;

  /// What the observer's callbacks update (part_profiler.cpp).
  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace e3::perf
