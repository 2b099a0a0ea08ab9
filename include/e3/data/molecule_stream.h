#pragma once
// MoleculeStream: the molecules of a file, directory or archive (the sources read_molecules()
// reads, in the same order) one at a time, for prediction over data sets of any size.
//
// A text file of extended or plain XYZ, plain or gzip, is parsed as zlib decompresses it, so
// memory stays that of one piece of text and one molecule however large the file; a directory
// is read file by file in name order. An original QM9 file (one molecule) is read whole, and
// so is an archive: libarchive gives its members in archive order while molecules come in
// member-name order, so the archive's molecules are all read before the first is given.
// A file of a registered format (molecule_formats.h: SMILES, CSV, SDF) is read record by record
// by its reader; records that give no molecule are kept aside for take_skipped().

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "e3/data/molecule.h"
#include "e3/data/molecule_formats.h"
#include "e3/data/read_options.h"

namespace e3::data {

class MoleculeStream {
 public:
  /// Opens `path` (a registered format read with `options`); DataError as read_molecules()
  /// gives for a missing path, an unreadable file or a directory without molecule files.
  explicit MoleculeStream(const std::string& path, const ReadOptions& options = {});
  ~MoleculeStream();
  MoleculeStream(const MoleculeStream&) = delete;
  MoleculeStream& operator=(const MoleculeStream&) = delete;

  /// The next molecule (of the shard of `options`); none after the last. DataError
  /// ("FILE:LINE: problem") for bad content when the reading reaches it, as read_molecules()
  /// would have given it.
  std::optional<Molecule> next();

  /// The records skipped since the last call (SkippedMolecule::before counts the molecules
  /// next() gave before each), in file order.
  std::vector<SkippedMolecule> take_skipped();

 private:
  // next() without the count of molecules given.
  std::optional<Molecule> next_from_sources();
  struct Text;
  // Opens the text file `path`: a stream of XYZ frames, or an original QM9 file read whole.
  void open_text(const std::string& path);

  std::vector<std::string> files_;  // text files still to open, in order
  size_t next_file_ = 0;
  std::vector<Molecule> whole_;  // molecules read whole (an archive, an original QM9 file)
  size_t next_whole_ = 0;
  std::unique_ptr<Text> text_;  // the text file being streamed
  std::unique_ptr<MoleculeReader> reader_;  // the file of a registered format
  std::vector<SkippedMolecule> skipped_;
  int64_t given_ = 0;  // molecules next() gave
  ReadOptions options_;  // the shard read from XYZ and QM9 sources (a registered format's reader keeps its own)
  int64_t records_ = 0;  // XYZ frames and QM9 files read, every shard's
};

}  // namespace e3::data
