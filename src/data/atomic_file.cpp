#include "e3/data/atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "e3/data/error.h"

namespace e3::data {

void write_file_atomically(const std::string& path, const std::string& content) {
  const auto fail = [&](const std::string& what) {
    throw DataError(path, 0, "cannot write: " + what + ": " + std::strerror(errno));
  };
  const std::filesystem::path target(path);
  const std::string pattern = (target.parent_path() / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> temporary(pattern.begin(), pattern.end());
  temporary.push_back('\0');
  int fd = mkstemp(temporary.data());
  if (fd < 0) fail("cannot create a temporary file next to it");
  const auto abandon = [&](const std::string& what) {
    const int saved = errno;
    if (fd >= 0) ::close(fd);
    std::remove(temporary.data());
    errno = saved;
    fail(what);
  };
  for (size_t written = 0; written < content.size();) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) abandon("write failed");
    written += static_cast<size_t>(n);
  }
  // mkstemp creates the file readable by its owner only; a data file is for everyone to read.
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) abandon("cannot finish the temporary file");
  const int closed = ::close(fd);
  fd = -1;
  if (closed != 0) abandon("cannot finish the temporary file");
  if (std::rename(temporary.data(), path.c_str()) != 0) abandon("cannot rename the temporary file into place");
}

}  // namespace e3::data
