#pragma once
// The directory of a training run and the files in it.
//
//   config.json          the resolved configuration (train/config.h)
//   split.json           the molecule ids of the train/val/test split
//   domain.json          what the training molecules span, for prediction's flags
//                        (train/training_domain.h; runs before it was recorded lack it)
//   metrics.csv          one line per epoch (train/metrics.h)
//   learning_curve.svg   validation MAE per epoch, log scale
//   last.pt              the whole training state, for resuming
//   best.pt              the model of the epoch with the lowest validation MAE
//
// Every file is written to a temporary name and renamed, so a killed run leaves either the
// old or the new version of each, never a torn one.

#include <string>

namespace e3::train {

class RunDirectory {
 public:
  /// Creates the directory (and its parents) for a new run. std::runtime_error when it
  /// already holds a run or any other file.
  static RunDirectory create(const std::string& path);
  /// An existing run; std::runtime_error naming the path when it is not a run directory.
  static RunDirectory open(const std::string& path);
  /// The run at `path` as a process that never writes it sees it (a data-parallel rank other
  /// than 0, while rank 0 creates it): nothing is checked or created.
  static RunDirectory named(const std::string& path) { return RunDirectory(path); }

  const std::string& path() const { return path_; }
  std::string config() const { return file("config.json"); }
  std::string split() const { return file("split.json"); }
  std::string domain() const { return file("domain.json"); }
  std::string metrics() const { return file("metrics.csv"); }
  std::string learning_curve() const { return file("learning_curve.svg"); }
  std::string last_checkpoint() const { return file("last.pt"); }
  std::string best_checkpoint() const { return file("best.pt"); }

  /// Removes the temporary checkpoints (`last.pt.tmp.PID`, `best.pt.tmp.PID`) that a writer
  /// killed in the middle of a write left behind: those whose process no longer runs on this
  /// machine. For the process about to write the run (train --resume); returns how many.
  int remove_abandoned_checkpoints() const;

 private:
  explicit RunDirectory(std::string path) : path_(std::move(path)) {}
  std::string file(const char* name) const { return path_ + "/" + name; }
  std::string path_;
};

}  // namespace e3::train
