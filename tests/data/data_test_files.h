#pragma once
// Files for the data tests: gzip and tar.bz2 writers, the fixtures in the repository, and a
// check of DataError messages (the general helpers are in tests/support/files.h).

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "files.h"

namespace e3::data::testing {

// The general file helpers (tests/support/files.h), under their old names.
using e3::testing::data_error;
using e3::testing::read_file;
using e3::testing::sample_file;
using e3::testing::TempDir;
using e3::testing::write_gzip;
using e3::testing::write_text;

/// Writes a bzip2-compressed tar archive (libarchive) with the given (member name, content)
/// regular files, in the given order.
void write_tar_bz2(const std::string& path, const std::vector<std::pair<std::string, std::string>>& members);

/// Fixtures in the repository.
std::string original_qm9_file();  ///< tests/data/files/dsgdb9nsd_000001.xyz, a verbatim copy of QM9's file

/// Checks that `message` is "FILE:LINE: ..." for the given file and line and contains `problem`.
void expect_error_at(const std::string& message, const std::string& file, int line, const std::string& problem);

}  // namespace e3::data::testing
