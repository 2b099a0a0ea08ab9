#pragma once
// Reading the files of an archive with libarchive (internal to read_molecules): tar, plain
// or compressed (bzip2 as QM9's dsgdb9nsd.xyz.tar.bz2, gzip, xz, ...), and zip.

#include <functional>
#include <string>
#include <string_view>

namespace e3::data {

/// Calls `visit(entry name, content)` for every regular file of the archive at `path`, in
/// archive order. DataError naming the archive (and the entry) when it is not an archive
/// libarchive can read, or is corrupt or truncated.
void for_each_archive_file(const std::string& path,
                           const std::function<void(const std::string& name, std::string_view content)>& visit);

}  // namespace e3::data
