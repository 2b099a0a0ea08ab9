#pragma once
// Files for the data tests: a temporary directory, text / gzip / tar.bz2 writers, the
// fixtures in the repository, and a check of DataError messages.

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace e3::data::testing {

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
/// Writes a bzip2-compressed tar archive (libarchive) with the given (member name, content)
/// regular files, in the given order.
void write_tar_bz2(const std::string& path, const std::vector<std::pair<std::string, std::string>>& members);
/// The whole content of a file.
std::string read_file(const std::string& path);

/// Fixtures in the repository.
std::string original_qm9_file();  ///< tests/data/files/dsgdb9nsd_000001.xyz, a verbatim copy of QM9's file
std::string sample_file();        ///< data/qm9-sample/qm9-sample.extxyz.gz

/// The message of the DataError that `action` throws; a test failure (and "") when it throws
/// nothing or something else.
std::string data_error(const std::function<void()>& action);

/// Checks that `message` is "FILE:LINE: ..." for the given file and line and contains `problem`.
void expect_error_at(const std::string& message, const std::string& file, int line, const std::string& problem);

}  // namespace e3::data::testing
