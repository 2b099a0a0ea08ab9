#pragma once
// Reading the files of an archive with libarchive (internal to read_molecules): tar, plain
// or compressed (bzip2 as QM9's dsgdb9nsd.xyz.tar.bz2, gzip, xz, ...), and zip.

#include <functional>
#include <string>
#include <string_view>

namespace e3::data {

/// How errors name the entry `name` of the archive at `path`: "PATH(NAME)".
std::string archive_entry_source(const std::string& path, const std::string& name);

/// Calls `visit(entry name, content)` for every regular file of the archive at `path` whose
/// name `wanted` accepts, in archive order; the others are skipped unread. DataError naming
/// the archive (and the entry) when it is not an archive libarchive can read, or is corrupt or
/// truncated; DataError naming "ARCHIVE(ENTRY)" and the line as soon as a line of a wanted
/// entry exceeds kMaxLineBytes (line_reader.h), before the rest of the entry is read.
void for_each_archive_file(const std::string& path, const std::function<bool(const std::string& name)>& wanted,
                           const std::function<void(const std::string& name, std::string_view content)>& visit);

}  // namespace e3::data
