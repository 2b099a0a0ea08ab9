#include "archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

#include "e3/data/error.h"
#include "e3/data/line_reader.h"

namespace e3::data {
namespace {

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};

std::string archive_problem(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "unknown libarchive error";
}

}  // namespace

std::string archive_entry_source(const std::string& path, const std::string& name) { return path + "(" + name + ")"; }

void for_each_archive_file(const std::string& path, const std::function<bool(const std::string& name)>& wanted,
                           const std::function<void(const std::string& name, std::string_view content)>& visit) {
  std::unique_ptr<archive, ArchiveFree> reader(archive_read_new());
  if (!reader) throw DataError(path, 0, "cannot read archive: out of memory");
  archive_read_support_filter_all(reader.get());
  // Only real archive formats: "all" would also take mtree, which reads any text as a list of files.
  archive_read_support_format_tar(reader.get());
  archive_read_support_format_gnutar(reader.get());
  archive_read_support_format_zip(reader.get());
  if (archive_read_open_filename(reader.get(), path.c_str(), 1 << 18) != ARCHIVE_OK) {
    throw DataError(path, 0, "bad or unsupported archive: " + archive_problem(reader.get()));
  }
  std::string content;
  while (true) {
    archive_entry* entry = nullptr;
    const int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) throw DataError(path, 0, "bad or unsupported archive: " + archive_problem(reader.get()));
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    if (!wanted(name)) continue;  // archive_read_next_header() skips the data
    LineLengthCheck lines(archive_entry_source(path, name));
    content.clear();
    if (archive_entry_size_is_set(entry)) content.reserve(static_cast<size_t>(archive_entry_size(entry)));
    char buffer[1 << 16];
    while (true) {
      const la_ssize_t read = archive_read_data(reader.get(), buffer, sizeof buffer);
      if (read == 0) break;
      if (read < 0) throw DataError(path, 0, "bad archive: entry " + name + ": " + archive_problem(reader.get()));
      lines.scan(std::string_view(buffer, static_cast<size_t>(read)));
      content.append(buffer, static_cast<size_t>(read));
    }
    visit(name, content);
  }
}

}  // namespace e3::data
