#pragma once
// XyzFrames: the frames of an extended- or plain-XYZ text (xyz_reader.h gives the format)
// parsed one at a time, from a text in memory or from a stream (internal to the readers).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "e3/data/molecule.h"
#include "e3/data/line_reader.h"

namespace e3::data {

class CommentParser;

class XyzFrames {
 public:
  /// Frames of the lines of `reader` (which must outlive this); `name` makes the ids of frames
  /// without a `gdb` key: "<name>#<frame>".
  XyzFrames(LineReader& reader, std::string name);
  ~XyzFrames();

  /// The molecule of the next frame; none after the last. DataError ("FILE:LINE: problem") for
  /// bad content, and "empty file" when the text has no frame at all.
  std::optional<Molecule> next();

 private:
  LineReader& reader_;
  std::string name_;
  std::unique_ptr<CommentParser> comment_;
  std::vector<std::string_view> tokens_;
  int64_t frame_ = 0, previous_count_ = 0, previous_line_ = 0;
};

}  // namespace e3::data
