#pragma once
// The parts of a network's step, marked where the modules compute them as LibTorch
// RecordFunction user scopes (RECORD_USER_SCOPE(part.scope)). A scope costs a check for
// observers unless one is registered; `e3cpp bench --breakdown` registers one in a dedicated
// step (e3/perf/part_profiler.h) to time each part's forward and the backward of the autograd
// nodes it created, so the training path carries no timers.

namespace e3::nn {

/// One part: the RecordFunction scope's name ("e3::..."), and what a user reads.
struct StepPart {
  const char* scope;
  const char* label;
};

namespace step_parts {

inline constexpr StepPart kEdgeEmbedding{"e3::edge_embedding", "edge inputs (harmonics, radial basis)"};
inline constexpr StepPart kEmbedding{"e3::embedding", "atom type embedding"};
inline constexpr StepPart kRadialMlps{"e3::radial_mlps", "radial MLPs"};
inline constexpr StepPart kConvolutions{"e3::convolutions", "convolutions (fused op)"};
inline constexpr StepPart kGates{"e3::gates", "gates"};
inline constexpr StepPart kOutputHeads{"e3::output_heads", "output heads (MLP, readout)"};
inline constexpr StepPart kLoss{"e3::loss", "loss"};

/// Every part, in the order of a step.
inline constexpr StepPart kAll[] = {kEdgeEmbedding, kEmbedding, kRadialMlps, kConvolutions,
                                    kGates,         kOutputHeads, kLoss};

}  // namespace step_parts
}  // namespace e3::nn
