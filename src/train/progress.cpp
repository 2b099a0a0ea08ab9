#include "e3/train/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace e3::train {

std::string format_duration(double seconds) {
  const auto total = static_cast<int64_t>(std::llround(std::max(0.0, seconds)));
  std::ostringstream out;
  const int64_t hours = total / 3600, minutes = (total / 60) % 60, secs = total % 60;
  if (hours > 0) out << hours << ':' << std::setw(2) << std::setfill('0') << minutes;
  else out << minutes;
  out << ':' << std::setw(2) << std::setfill('0') << secs;
  return out.str();
}

Progress::Progress(std::ostream& out, bool interactive) : out_(out), interactive_(interactive) {}

bool Progress::stdout_is_terminal() { return isatty(fileno(stdout)) != 0; }

void Progress::begin_epoch(int64_t epoch, int64_t epochs, int64_t num_batches, int64_t first_batch) {
  epoch_ = epoch;
  epochs_ = epochs;
  num_batches_ = num_batches;
  first_batch_ = first_batch;
  epoch_start_ = std::chrono::steady_clock::now();
  last_draw_ = {};
}

void Progress::batch_done(int64_t batches_done, double molecules_per_second, double mean_loss) {
  if (!interactive_) return;
  const auto now = std::chrono::steady_clock::now();
  if (batches_done < num_batches_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - epoch_start_).count();
  const int64_t done_here = batches_done - first_batch_;
  const double eta = done_here > 0 ? elapsed / done_here * double(num_batches_ - batches_done) : 0.0;
  constexpr int kWidth = 24;
  const int filled = num_batches_ > 0 ? static_cast<int>(kWidth * batches_done / num_batches_) : kWidth;
  std::ostringstream bar;
  bar << "\repoch " << epoch_ << '/' << epochs_ << " [" << std::string(filled, '#') << std::string(kWidth - filled, '.')
      << "] " << batches_done << '/' << num_batches_ << std::fixed << std::setprecision(1) << "  "
      << molecules_per_second << " mol/s  ETA " << format_duration(eta) << std::setprecision(4) << "  loss "
      << mean_loss << "\x1b[K";
  out_ << bar.str() << std::flush;
  bar_shown_ = true;
}

void Progress::clear() {
  if (bar_shown_) out_ << "\r\x1b[K";
  bar_shown_ = false;
}

void Progress::line(const std::string& text) {
  clear();
  out_ << text << std::endl;
}

}  // namespace e3::train
