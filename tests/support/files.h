#pragma once
// Files for tests: a temporary directory and whole-file reading and writing.

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

/// The whole content of a file.
std::string read_file(const std::string& path);

/// data/qm9-sample/qm9-sample.extxyz.gz, the embedded sample.
std::string sample_file();

}  // namespace e3::testing
