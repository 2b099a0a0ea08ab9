#pragma once
// Reading a data file's bytes: plain or gzip-compressed text, and telling archives apart
// (used by the readers of e3_data and e3::chem).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "line_reader.h"

namespace e3::data {

enum class FileKind {
  text,     ///< plain or gzip-compressed text (XYZ, extended XYZ, an original QM9 file)
  archive,  ///< a tar archive (plain, gzip, bzip2, xz, ...) or zip: read with libarchive
};

/// What `path` (an existing regular file) holds, from its name (.tar, .tar.bz2, .tbz2,
/// .tar.gz, .tgz, .tar.xz, .txz, .zip) or, failing that, from its first bytes (a bzip2, xz or
/// zip signature, or a tar header, also inside gzip). DataError when it cannot be read.
FileKind detect_file_kind(const std::string& path);

/// The text of a plain or gzip-compressed file, read piece by piece as zlib decompresses it:
/// memory stays that of one piece however large the file. DataError naming the file for
/// unreadable, truncated or corrupt input, or binary content (a NUL byte); DataError naming
/// the file and the line as soon as a line exceeds kMaxLineBytes (line_reader.h).
class TextStream {
 public:
  explicit TextStream(const std::string& path);
  ~TextStream();
  TextStream(const TextStream&) = delete;
  TextStream& operator=(const TextStream&) = delete;

  /// Appends up to `size` further bytes of the text to `text`; false (nothing appended) at
  /// the end of the text.
  bool read(std::string& text, size_t size);
  const std::string& path() const { return path_; }

 private:
  struct GzFile;
  std::string path_;
  std::unique_ptr<GzFile> file_;
  int64_t offset_ = 0;  // bytes of text read so far, for the NUL byte's position
  LineLengthCheck lines_;
};

/// The whole text of a plain or gzip-compressed file (a TextStream read to its end: a line
/// longer than kMaxLineBytes fails before the rest of the file is read).
std::string read_text_file(const std::string& path);

}  // namespace e3::data
