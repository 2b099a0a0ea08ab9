#include "e3/data/molecule_stream.h"

#include <filesystem>
#include <utility>

#include "e3/data/qm9_original_reader.h"
#include "e3/data/line_reader.h"
#include "molecule_sources.h"
#include "e3/data/text_file.h"
#include "xyz_frames.h"

namespace e3::data {
namespace {

// Enough text to tell an original QM9 file (its second line) from XYZ; more is read if the
// first two lines are longer.
constexpr size_t kHead = 1 << 16;

}  // namespace

// An XYZ text being read: its stream, whose first bytes (`head`) were read already to tell the
// format, the lines from there on and the frames of those lines.
struct MoleculeStream::Text {
  std::unique_ptr<TextStream> stream;
  LineReader reader;
  XyzFrames frames;
  Text(std::unique_ptr<TextStream> opened, std::string head)
      : stream(std::move(opened)),
        reader(*stream, std::move(head), stream->path()),
        frames(reader, std::filesystem::path(stream->path()).filename().string()) {}
};

MoleculeStream::MoleculeStream(const std::string& path, const ReadOptions& options) : options_(options) {
  const SourceKind kind = source_kind(path);
  if (kind == SourceKind::text) {
    if (const MoleculeFormat* format = find_molecule_format(path)) {
      reader_ = format->open(path, options);
      return;
    }
  }
  switch (kind) {
    case SourceKind::directory:
      files_ = molecule_files(path);
      break;
    case SourceKind::archive:
      whole_ = read_archive(path);
      break;
    case SourceKind::text:
      files_ = {path};
      break;
  }
}

MoleculeStream::~MoleculeStream() = default;

void MoleculeStream::open_text(const std::string& path) {
  auto stream = std::make_unique<TextStream>(path);
  std::string head;
  const auto has_two_lines = [&] { return head.find('\n', head.find('\n') + 1) != std::string::npos; };
  while (!has_two_lines() && stream->read(head, kHead)) continue;
  if (is_qm9_original(head)) {
    while (stream->read(head, kHead)) continue;
    whole_ = {parse_qm9_original(head, path)};
    next_whole_ = 0;
    return;
  }
  text_ = std::make_unique<Text>(std::move(stream), std::move(head));
}

std::optional<Molecule> MoleculeStream::next() {
  while (true) {
    auto molecule = next_from_sources();
    // A registered format's reader reads its shard only; XYZ frames are counted here.
    if (molecule && !reader_) {
      molecule->record = records_++;
      if (!options_.in_shard(molecule->record)) continue;
    }
    if (molecule) ++given_;
    return molecule;
  }
}

std::vector<SkippedMolecule> MoleculeStream::take_skipped() { return std::exchange(skipped_, {}); }

std::optional<Molecule> MoleculeStream::next_from_sources() {
  if (reader_) {
    const size_t known = skipped_.size();
    auto molecule = reader_->next(skipped_);
    for (size_t r = known; r < skipped_.size(); ++r) skipped_[r].before = given_;
    return molecule;
  }
  while (true) {
    if (text_) {
      if (auto molecule = text_->frames.next()) return molecule;
      text_.reset();
    }
    if (next_whole_ < whole_.size()) return std::move(whole_[next_whole_++]);
    whole_.clear();
    next_whole_ = 0;
    if (next_file_ == files_.size()) return std::nullopt;
    open_text(files_[next_file_++]);
  }
}

}  // namespace e3::data
