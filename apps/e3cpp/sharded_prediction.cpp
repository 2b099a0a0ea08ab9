#include "sharded_prediction.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <thread>

#include "child_processes.h"

namespace e3::cli {
namespace {

constexpr const char* kCountsMark = "counts\t";

// A directory of its own under $TMPDIR (or /tmp), removed with its files when this goes.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    const char* base = std::getenv("TMPDIR");
    std::string name = std::string(base && *base ? base : "/tmp") + "/e3cpp-predict-XXXXXX";
    if (!mkdtemp(name.data())) throw std::runtime_error("cannot make a temporary directory in " + name);
    path_ = name;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The shard lines of one process, read one row ahead.
class ShardOutput {
 public:
  explicit ShardOutput(const std::string& path) : path_(path), in_(path) {
    if (!in_) throw std::runtime_error(path + ": cannot open a shard's output");
    advance();
  }
  bool has_row() const { return has_row_; }
  int64_t file() const { return file_; }
  int64_t record() const { return record_; }
  const std::string& row() const { return row_; }
  const std::optional<PredictionCounts>& counts() const { return counts_; }

  void advance() {
    has_row_ = false;
    std::string line;
    if (!std::getline(in_, line)) return;
    ++line_number_;
    if (line.rfind(kCountsMark, 0) == 0) {
      try {
        counts_ = PredictionCounts::from_json(nlohmann::json::parse(line.substr(std::string(kCountsMark).size())));
      } catch (const nlohmann::json::exception& error) {
        fail(error.what());
      }
      return;
    }
    const size_t first = line.find('\t'), second = first == std::string::npos ? first : line.find('\t', first + 1);
    if (second == std::string::npos) fail("not a shard line");
    try {
      file_ = std::stoll(line.substr(0, first));
      record_ = std::stoll(line.substr(first + 1, second - first - 1));
    } catch (const std::exception&) {
      fail("not a shard line");
    }
    row_ = line.substr(second + 1);
    has_row_ = true;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw std::runtime_error(path_ + ":" + std::to_string(line_number_) + ": " + problem);
  }
  std::string path_;
  std::ifstream in_;
  int64_t line_number_ = 0;
  bool has_row_ = false;
  int64_t file_ = 0, record_ = 0;
  std::string row_;
  std::optional<PredictionCounts> counts_;
};

// `arguments` without the options `names` (--name VALUE or --name=VALUE).
std::vector<std::string> without_options(const std::vector<std::string>& arguments, const std::vector<std::string>& names) {
  std::vector<std::string> kept;
  for (size_t i = 0; i < arguments.size(); ++i) {
    bool dropped = false;
    for (const auto& name : names) {
      if (arguments[i] == "--" + name) {
        ++i;  // its value
        dropped = true;
      } else if (arguments[i].rfind("--" + name + "=", 0) == 0) {
        dropped = true;
      }
      if (dropped) break;
    }
    if (!dropped) kept.push_back(arguments[i]);
  }
  return kept;
}

}  // namespace

void write_shard_counts(const PredictionCounts& counts, std::ostream& out) {
  out << kCountsMark << counts.to_json().dump() << '\n' << std::flush;
}

ShardedResult predict_in_processes(const ShardedPrediction& sharded, PredictionTable& table) {
  const int processes = sharded.processes;
  TemporaryDirectory directory;
  ChildProcesses children;
  const auto base = without_options(sharded.arguments, {"nproc", "threads"});
  for (int i = 0; i < processes; ++i) {
    std::vector<std::string> arguments{"predict"};
    arguments.insert(arguments.end(), base.begin(), base.end());
    for (const std::string& extra : {std::string("--shard"), std::to_string(i) + "/" + std::to_string(processes),
                                     std::string("--threads"), std::to_string(sharded.threads_per_process),
                                     std::string("--") + kShardLinesFlag}) {
      arguments.push_back(extra);
    }
    children.start(arguments, directory.file("shard-" + std::to_string(i)));
  }
  while (!children.reap()) std::this_thread::sleep_for(std::chrono::milliseconds(20));

  std::vector<ShardOutput> shards;
  for (int i = 0; i < processes; ++i) shards.emplace_back(directory.file("shard-" + std::to_string(i)));
  const auto failed = [&](int64_t shard) { return children.exit_codes()[static_cast<size_t>(shard)] != 0; };
  ShardedResult result;
  // Record r of FILE f is row(s) (f, r) of shard r mod P; a FILE ends at the first record no
  // shard has. A failed process's output ends early: the merge stops at its first missing record.
  const auto failure = [&](int64_t shard) {
    return "process " + std::to_string(shard + 1) + " of " + std::to_string(processes) + " (--shard " +
           std::to_string(shard) + "/" + std::to_string(processes) + ") failed with exit status " +
           std::to_string(children.exit_codes()[static_cast<size_t>(shard)]);
  };
  const int64_t files = static_cast<int64_t>(sharded.files.size());
  for (int64_t f = 0; f < files && result.failure.empty(); ++f) {
    for (int64_t r = 0;; ++r) {
      const int64_t s = r % processes;
      ShardOutput& shard = shards[static_cast<size_t>(s)];
      if (!shard.has_row() || shard.file() != f || shard.record() != r) {
        if (failed(s) && !shard.has_row()) {
          result.failure = failure(s) + ": the output ends before record " + std::to_string(r) + " of " +
                           sharded.files[static_cast<size_t>(f)];
          break;
        }
        for (const auto& other : shards) {
          if (other.has_row() && other.file() == f) {
            throw std::runtime_error("the shards' outputs disagree at record " + std::to_string(r) + " of " +
                                     sharded.files[static_cast<size_t>(f)]);
          }
        }
        break;  // the file's last record was r - 1
      }
      while (shard.has_row() && shard.file() == f && shard.record() == r) {
        table.write_shard_row(shard.row());
        shard.advance();
      }
    }
  }
  table.finish();
  for (int i = 0; i < processes; ++i) {
    const auto& counts = shards[static_cast<size_t>(i)].counts();
    if (counts) result.counts.add(*counts);
    if (result.failure.empty() && (failed(i) || !counts)) result.failure = failure(i);
  }
  return result;
}

}  // namespace e3::cli
