#pragma once
// LineReader: walks a text line by line and turns every problem into a DataError that
// names the file and the line (used by the readers of e3_data and e3::chem).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace e3::data {

class TextStream;

/// The longest line the readers accept, in bytes before its "\n" (a "\r" counted): no valid
/// XYZ or QM9 line comes near it, and a file without newlines (binary data, the wrong file)
/// fails after its first MiB instead of being read whole into memory.
inline constexpr size_t kMaxLineBytes = size_t{1} << 20;

/// Throws the DataError of a line longer than kMaxLineBytes: line `line` of `file`.
[[noreturn]] void fail_long_line(const std::string& file, int64_t line);

/// Watches the bytes of a text as they are read, piece by piece, and throws the DataError of
/// fail_long_line() as soon as a line exceeds kMaxLineBytes: before the rest of it is read.
class LineLengthCheck {
 public:
  /// `file` is the name errors give.
  explicit LineLengthCheck(std::string file) : file_(std::move(file)) {}
  /// Takes the next `bytes` of the text.
  void scan(std::string_view bytes);

 private:
  std::string file_;
  int64_t line_ = 1;   // the line the next byte belongs to
  size_t length_ = 0;  // bytes of that line so far
};

class LineReader {
 public:
  /// `text` must outlive the reader; `file` is the name errors give.
  LineReader(std::string_view text, std::string file);
  /// Reads the lines of `stream` (which must outlive the reader) as they are needed, after the
  /// bytes `head` already read from it: only a piece of the text is held at a time.
  LineReader(TextStream& stream, std::string head, std::string file);

  /// Moves to the next line (without its "\n" or "\r\n"); false at the end of the text.
  /// DataError for a line longer than kMaxLineBytes.
  bool next();
  /// The current line, valid until the next call to next() or only_blank_lines_left().
  std::string_view line() const { return text_.substr(line_start_, line_size_); }
  /// Number of the current line, from 1 (0 before the first call to next()).
  int64_t line_number() const { return line_number_; }
  /// True when only blank lines are left after the current one (reads a stream ahead).
  bool only_blank_lines_left();
  /// Number of bytes known to follow the current line and its newline: all of them for a text,
  /// those read so far for a stream (more may follow).
  size_t bytes_left() const { return next_ < text_.size() ? text_.size() - next_ : 0; }
  const std::string& file() const { return file_; }

  /// Throws DataError(file, line, problem) for the current line or for `line`.
  [[noreturn]] void fail(const std::string& problem) const;
  [[noreturn]] void fail_at(int64_t line, const std::string& problem) const;

  /// The finite real number `token` spells (see parse_real); otherwise a DataError for the
  /// current line naming `what`: "unparsable number" or "not a finite number".
  double real(std::string_view token, std::string_view what) const;
  /// The integer `token` spells; otherwise a DataError naming `what`.
  int64_t integer(std::string_view token, std::string_view what) const;

 private:
  // Stream mode: drops the text before the next line and reads another piece; false at the end.
  bool read_more(bool keep_current_line);

  std::string_view text_;  // the text, or the piece of the stream in buffer_
  std::string file_;
  TextStream* stream_ = nullptr;
  std::string buffer_;
  size_t next_ = 0;  // where the next line starts in text_
  size_t line_start_ = 0, line_size_ = 0;
  int64_t line_number_ = 0;
};

/// Splits `line` at runs of spaces and tabs into `tokens` (cleared first).
void split_whitespace(std::string_view line, std::vector<std::string_view>& tokens);

/// True when `line` holds only spaces and tabs.
bool is_blank(std::string_view line);

/// True when `text` ends with `suffix`.
bool ends_with(std::string_view text, std::string_view suffix);

/// `text` in single quotes for a message, shortened to about 60 characters.
std::string quoted(std::string_view text);

}  // namespace e3::data
