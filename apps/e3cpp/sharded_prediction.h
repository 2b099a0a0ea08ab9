#pragma once
// e3cpp predict --nproc P: P copies of the same command, each predicting one shard of the input
// (--shard I/P: the records r with r mod P = I of each FILE) and writing shard lines
// (prediction_table.h) to a file of its own; their rows are then merged into one table in
// input order — record r of a FILE comes from shard r mod P — and their counts summed.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "prediction_reports.h"
#include "prediction_table.h"

namespace e3::cli {

/// The hidden flag that makes predict write shard lines, and its counts as the last line.
inline constexpr const char* kShardLinesFlag = "shard-lines";

struct ShardedPrediction {
  /// predict's arguments as given (the processes get them without --nproc and --threads).
  std::vector<std::string> arguments;
  int processes = 1;
  int threads_per_process = 1;
  /// The FILE arguments.
  std::vector<std::string> files;
};

/// What the processes gave: their counts summed, and why the output is incomplete (a process
/// that failed: its own error is on standard error) or "" when it is complete.
struct ShardedResult {
  PredictionCounts counts;
  std::string failure;
};

/// Runs the processes, waits for them and writes their rows to `table` in input order (up to
/// the first record a failed process did not write), then finishes the table.
/// std::runtime_error when a process cannot be started or a shard's output is not understood.
ShardedResult predict_in_processes(const ShardedPrediction& sharded, PredictionTable& table);

/// The last shard line of a process: its counts.
void write_shard_counts(const PredictionCounts& counts, std::ostream& out);

}  // namespace e3::cli
