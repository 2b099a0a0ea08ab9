#include "text_file.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "e3/data/error.h"
#include "line_reader.h"

namespace e3::data {
namespace {

bool has_tar_header(const std::string& head) { return head.size() >= 262 && head.compare(257, 5, "ustar") == 0; }

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};

// Up to `limit` bytes of the file's text, decompressed when it is gzip (zlib reads plain
// files as they are).
std::string read_through_zlib(const std::string& path, size_t limit) {
  errno = 0;
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) throw DataError(path, 0, std::string("cannot open: ") + (errno ? std::strerror(errno) : "out of memory"));
  gzbuffer(file.get(), 1 << 18);
  std::string text;
  size_t size = 0;
  while (size < limit) {
    const size_t chunk = std::min<size_t>({limit - size, std::max<size_t>(size, 1 << 20), 1u << 30});
    text.resize(size + chunk);
    const int read = gzread(file.get(), text.data() + size, static_cast<unsigned>(chunk));
    if (read <= 0) {
      int code = Z_OK;
      const char* message = gzerror(file.get(), &code);
      if (code == Z_BUF_ERROR) throw DataError(path, 0, "truncated gzip data (unexpected end of file)");
      if (read < 0 || code != Z_OK) {
        // zlib's message starts with the path: keep only what follows it.
        std::string problem = code == Z_ERRNO ? std::strerror(errno) : message;
        if (problem.rfind(path + ": ", 0) == 0) problem.erase(0, path.size() + 2);
        throw DataError(path, 0, "cannot read: " + problem);
      }
      break;
    }
    size += static_cast<size_t>(read);
  }
  text.resize(size);
  return text;
}

}  // namespace

FileKind detect_file_kind(const std::string& path) {
  for (const char* suffix : {".tar", ".tar.bz2", ".tbz2", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".zip"}) {
    if (ends_with(path, suffix)) return FileKind::archive;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  std::string head(512, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  const auto starts_with = [&](const std::string& magic) { return head.compare(0, magic.size(), magic) == 0; };
  const std::string bzip2 = "BZh", xz("\xFD\x37\x7A\x58\x5A\x00", 6), zip = "PK\x03\x04";
  if (starts_with(bzip2) || starts_with(xz) || starts_with(zip) || has_tar_header(head)) return FileKind::archive;
  if (starts_with("\x1F\x8B") && has_tar_header(read_through_zlib(path, 512))) return FileKind::archive;
  return FileKind::text;
}

std::string read_text_file(const std::string& path) {
  std::string text = read_through_zlib(path, std::string::npos);
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    const auto offset = static_cast<const char*>(nul) - text.data();
    throw DataError(path, 0,
                    "not a text file (a NUL byte at byte " + std::to_string(offset) +
                        "); supported: XYZ or extended-XYZ text, plain or gzip, and tar archives");
  }
  return text;
}

}  // namespace e3::data
