#pragma once
// Writing a file so that readers never see it half-written.

#include <string>

namespace e3::data {

/// Writes `content` to a temporary file in the directory of `path`, then renames it to
/// `path` (an atomic replacement on POSIX file systems). DataError naming `path` on failure;
/// the temporary file is removed then.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace e3::data
