#include "data_test_files.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "e3/data/error.h"

namespace e3::data::testing {


void write_tar_bz2(const std::string& path, const std::vector<std::pair<std::string, std::string>>& members) {
  archive* writer = archive_write_new();
  archive_write_add_filter_bzip2(writer);
  archive_write_set_format_pax_restricted(writer);
  if (archive_write_open_filename(writer, path.c_str()) != ARCHIVE_OK) {
    throw std::runtime_error("cannot write " + path + ": " + archive_error_string(writer));
  }
  for (const auto& [name, content] : members) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_write_header(writer, entry);
    archive_write_data(writer, content.data(), content.size());
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
}

std::string original_qm9_file() { return std::string(E3_SOURCE_DIR) + "/tests/data/files/dsgdb9nsd_000001.xyz"; }



void expect_error_at(const std::string& message, const std::string& file, int line, const std::string& problem) {
  const std::string where = file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
  EXPECT_EQ(message.rfind(where, 0), 0u) << "expected the message to start with '" << where << "': " << message;
  EXPECT_NE(message.find(problem), std::string::npos) << "expected '" << problem << "' in: " << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
}

}  // namespace e3::data::testing
