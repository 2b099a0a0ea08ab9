#pragma once
// Reading a data file's bytes: plain or gzip-compressed text, and telling archives apart
// (internal to read_molecules).

#include <string>

namespace e3::data {

enum class FileKind {
  text,     ///< plain or gzip-compressed text (XYZ, extended XYZ, an original QM9 file)
  archive,  ///< a tar archive (plain, gzip, bzip2, xz, ...) or zip: read with libarchive
};

/// What `path` (an existing regular file) holds, from its name (.tar, .tar.bz2, .tbz2,
/// .tar.gz, .tgz, .tar.xz, .txz, .zip) or, failing that, from its first bytes (a bzip2, xz or
/// zip signature, or a tar header, also inside gzip). DataError when it cannot be read.
FileKind detect_file_kind(const std::string& path);

/// The whole text of a plain or gzip-compressed file (zlib decompresses on the fly).
/// DataError naming the file for unreadable, truncated or corrupt input, or binary content.
std::string read_text_file(const std::string& path);

}  // namespace e3::data
