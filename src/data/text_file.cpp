#include "e3/data/text_file.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "e3/data/error.h"
#include "e3/data/line_reader.h"

namespace e3::data {
namespace {

bool has_tar_header(const std::string& head) { return head.size() >= 262 && head.compare(257, 5, "ustar") == 0; }

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
  if (starts_with("\x1F\x8B")) {
    // A tar header holds NUL bytes, which TextStream rejects: read the first block through zlib.
    std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
    std::string block(512, '\0');
    const int read = file ? gzread(file.get(), block.data(), static_cast<unsigned>(block.size())) : 0;
    block.resize(static_cast<size_t>(std::max(read, 0)));
    if (has_tar_header(block)) return FileKind::archive;
  }
  return FileKind::text;
}

struct TextStream::GzFile {
  gzFile handle = nullptr;
  ~GzFile() {
    if (handle) gzclose(handle);
  }
};

TextStream::TextStream(const std::string& path) : path_(path), file_(std::make_unique<GzFile>()), lines_(path) {
  errno = 0;
  file_->handle = gzopen(path.c_str(), "rb");
  if (!file_->handle) {
    throw DataError(path, 0, std::string("cannot open: ") + (errno ? std::strerror(errno) : "out of memory"));
  }
  gzbuffer(file_->handle, 1 << 18);
}

TextStream::~TextStream() = default;

bool TextStream::read(std::string& text, size_t size) {
  const size_t start = text.size();
  text.resize(start + size);
  const int read = gzread(file_->handle, text.data() + start, static_cast<unsigned>(std::min<size_t>(size, 1u << 30)));
  if (read <= 0) {
    text.resize(start);
    int code = Z_OK;
    const char* message = gzerror(file_->handle, &code);
    if (code == Z_BUF_ERROR) throw DataError(path_, 0, "truncated gzip data (unexpected end of file)");
    if (read < 0 || code != Z_OK) {
      // zlib's message starts with the path: keep only what follows it.
      std::string problem = code == Z_ERRNO ? std::strerror(errno) : message;
      if (problem.rfind(path_ + ": ", 0) == 0) problem.erase(0, path_.size() + 2);
      throw DataError(path_, 0, "cannot read: " + problem);
    }
    return false;
  }
  text.resize(start + static_cast<size_t>(read));
  if (const void* nul = std::memchr(text.data() + start, '\0', static_cast<size_t>(read))) {
    const auto at = offset_ + (static_cast<const char*>(nul) - (text.data() + start));
    throw DataError(path_, 0,
                    "not a text file (a NUL byte at byte " + std::to_string(at) +
                        "); supported: XYZ or extended-XYZ text, plain or gzip, and tar archives");
  }
  lines_.scan(std::string_view(text.data() + start, static_cast<size_t>(read)));
  offset_ += read;
  return true;
}

std::string read_text_file(const std::string& path) {
  TextStream stream(path);
  std::string text;
  size_t chunk = 1 << 20;
  while (stream.read(text, chunk)) chunk = std::max(chunk, std::min<size_t>(text.size(), 1u << 30));
  return text;
}

}  // namespace e3::data
