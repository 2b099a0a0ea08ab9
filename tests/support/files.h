#pragma once
// Files for tests: a temporary directory, whole-file reading and writing (plain and gzip), and
// the message of a DataError.

#include <functional>
#include <string>

namespace e3::testing {

/// A fresh directory under /tmp, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  /// path() + "/" + name.
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Writes `text` to `path` as it is.
void write_text(const std::string& path, const std::string& text);

/// Writes `text` to `path` gzip-compressed (zlib).
void write_gzip(const std::string& path, const std::string& text);

/// The message of the DataError that `action` throws; a test failure (and "") when it throws
/// something else or nothing.
std::string data_error(const std::function<void()>& action);

/// The whole content of a file.
std::string read_file(const std::string& path);

/// data/qm9-sample/qm9-sample.extxyz.gz, the embedded sample.
std::string sample_file();

}  // namespace e3::testing
