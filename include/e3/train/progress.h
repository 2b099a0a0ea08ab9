#pragma once
// Progress of training as a user sees it: on a terminal a one-line bar redrawn in place,
// with rate and time left; otherwise (a log file, a pipe) only whole lines.

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace e3::train {

class Progress {
 public:
  /// `interactive`: draw the bar (for a terminal). Everything goes to `out`.
  Progress(std::ostream& out, bool interactive);

  /// True when standard output is a terminal.
  static bool stdout_is_terminal();

  /// Starts an epoch (counted from 1) of `num_batches` batches, `first_batch` of them
  /// already done (a resumed epoch).
  void begin_epoch(int64_t epoch, int64_t epochs, int64_t num_batches, int64_t first_batch);
  /// After each batch: batches done so far in the epoch, training throughput and the mean
  /// loss so far. Redraws the bar at most ten times a second.
  void batch_done(int64_t batches_done, double molecules_per_second, double mean_loss);
  /// Prints a whole line (clearing the bar first).
  void line(const std::string& text);

 private:
  void clear();

  std::ostream& out_;
  bool interactive_;
  bool bar_shown_ = false;
  int64_t epoch_ = 0, epochs_ = 0, num_batches_ = 0, first_batch_ = 0;
  std::chrono::steady_clock::time_point epoch_start_, last_draw_;
};

/// "1:02:03" or "2:03" for a duration in seconds.
std::string format_duration(double seconds);

}  // namespace e3::train
