#include "e3/data/read.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "archive_reader.h"
#include "e3/data/error.h"
#include "e3/data/molecule_stream.h"
#include "e3/data/qm9_original_reader.h"
#include "e3/data/xyz_reader.h"
#include "e3/data/line_reader.h"
#include "molecule_sources.h"
#include "e3/data/text_file.h"

namespace e3::data {
namespace fs = std::filesystem;
namespace {

// The molecules of several named archive members, concatenated in the order of the names.
using NamedMolecules = std::pair<std::string, std::vector<Molecule>>;
std::vector<Molecule> concatenate_by_name(std::vector<NamedMolecules> parts) {
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Molecule> molecules;
  for (auto& part : parts) {
    for (auto& molecule : part.second) molecules.push_back(std::move(molecule));
  }
  return molecules;
}

std::vector<Molecule> read_text(const std::string& path) {
  return parse_molecules(read_text_file(path), path, fs::path(path).filename().string());
}

std::vector<Molecule> read_directory(const std::string& path) {
  std::vector<Molecule> molecules;
  for (const auto& file : molecule_files(path)) {
    for (auto& molecule : read_text(file)) molecules.push_back(std::move(molecule));
  }
  return molecules;
}

}  // namespace

std::vector<Molecule> parse_molecules(std::string_view text, const std::string& source, const std::string& name) {
  if (is_qm9_original(text)) return {parse_qm9_original(text, source)};
  return parse_xyz(text, source, name);
}

SourceKind source_kind(const std::string& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) throw DataError(path, 0, "no such file or directory");
  if (error) throw DataError(path, 0, "cannot access: " + error.message());
  if (fs::is_directory(status)) return SourceKind::directory;
  if (!fs::is_regular_file(status)) throw DataError(path, 0, "not a regular file or directory");
  return detect_file_kind(path) == FileKind::archive ? SourceKind::archive : SourceKind::text;
}

std::vector<Molecule> read_archive(const std::string& path) {
  std::vector<NamedMolecules> parts;
  const auto molecule_file = [](const std::string& member) { return is_molecule_file_name(member, false); };
  for_each_archive_file(path, molecule_file, [&](const std::string& member, std::string_view content) {
    const std::string name = fs::path(member).filename().string();
    parts.emplace_back(member, parse_molecules(content, archive_entry_source(path, member), name));
  });
  if (parts.empty()) throw DataError(path, 0, "no molecule files (*.xyz, *.extxyz) in the archive");
  return concatenate_by_name(std::move(parts));
}

std::vector<Molecule> read_molecules(const std::string& path, const ReadOptions& options,
                                     std::vector<SkippedMolecule>* skipped) {
  const SourceKind kind = source_kind(path);
  if (kind == SourceKind::text) {
    if (const MoleculeFormat* format = find_molecule_format(path)) {
      std::vector<Molecule> molecules;
      MoleculeStream stream(path, options);
      while (true) {
        auto molecule = stream.next();
        for (auto& record : stream.take_skipped()) {
          if (!skipped) fail_skipped(record);
          skipped->push_back(std::move(record));
        }
        if (!molecule) break;
        molecules.push_back(std::move(*molecule));
      }
      if (molecules.empty()) throw DataError(path, 0, "no molecules in the " + format->name + " file");
      return molecules;
    }
  }
  switch (kind) {
    case SourceKind::directory:
      return read_directory(path);
    case SourceKind::archive:
      return read_archive(path);
    case SourceKind::text:
      break;
  }
  return read_text(path);
}

void fail_skipped(const SkippedMolecule& skipped) {
  throw DataError(skipped.source_file, skipped.source_line,
                  skipped.reason + ": molecule " + skipped.id + ": " + skipped.detail);
}

bool is_molecule_file_name(const std::string& name, bool allow_gzip) {
  for (const char* suffix : {".xyz", ".extxyz"}) {
    if (ends_with(name, suffix)) return true;
  }
  return allow_gzip && (ends_with(name, ".xyz.gz") || ends_with(name, ".extxyz.gz"));
}

std::vector<std::string> molecule_files(const std::string& path) {
  std::vector<std::pair<std::string, std::string>> files;  // (name, path)
  std::error_code error;
  for (fs::directory_iterator it(path, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (is_molecule_file_name(name, true) && it->is_regular_file()) files.emplace_back(name, it->path().string());
  }
  if (error) throw DataError(path, 0, "cannot list the directory: " + error.message());
  if (files.empty()) {
    throw DataError(path, 0, "no molecule files (*.xyz, *.extxyz, *.xyz.gz, *.extxyz.gz) in the directory");
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> paths;
  for (auto& file : files) paths.push_back(std::move(file.second));
  return paths;
}

}  // namespace e3::data
