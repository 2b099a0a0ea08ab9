#include "e3/data/line_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "e3/data/error.h"
#include "e3/data/numbers.h"
#include "e3/data/text_file.h"

namespace e3::data {

namespace {

// The size of the pieces a stream is read in; a longer line makes a larger piece (up to
// kMaxLineBytes, which the stream enforces as it reads).
constexpr size_t kStreamPiece = 1 << 20;

}  // namespace

void fail_long_line(const std::string& file, int64_t line) {
  throw DataError(file, line,
                  "line longer than 1 MiB (" + std::to_string(kMaxLineBytes) +
                      " bytes); no XYZ or QM9 line is near that long: is this a molecule file?");
}

void LineLengthCheck::scan(std::string_view bytes) {
  if (bytes.empty()) return;
  const char* const end = bytes.data() + bytes.size();
  const char* at = bytes.data();
  while (const void* found = std::memchr(at, '\n', static_cast<size_t>(end - at))) {
    const auto newline = static_cast<const char*>(found);
    length_ += static_cast<size_t>(newline - at);
    if (length_ > kMaxLineBytes) fail_long_line(file_, line_);
    ++line_;
    length_ = 0;
    at = newline + 1;
  }
  length_ += static_cast<size_t>(end - at);
  if (length_ > kMaxLineBytes) fail_long_line(file_, line_);
}

LineReader::LineReader(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

LineReader::LineReader(TextStream& stream, std::string head, std::string file)
    : file_(std::move(file)), stream_(&stream), buffer_(std::move(head)) {
  text_ = buffer_;
}

bool LineReader::read_more(bool keep_current_line) {
  if (!stream_) return false;
  // The current line starts at line_start_ <= next_: what precedes it is never read again.
  const size_t drop = keep_current_line ? line_start_ : next_;
  buffer_.erase(0, drop);
  line_start_ -= std::min(line_start_, drop);
  next_ -= drop;
  const bool more = stream_->read(buffer_, kStreamPiece);
  text_ = buffer_;
  return more;
}

bool LineReader::next() {
  size_t end;
  while ((end = text_.find('\n', next_)) == std::string_view::npos) {
    if (!read_more(/*keep_current_line=*/false)) break;
  }
  if (next_ >= text_.size()) return false;
  if (end == std::string_view::npos) end = text_.size();
  // A stream has checked its lines as it read them; a text given whole is checked here.
  if (end - next_ > kMaxLineBytes) fail_long_line(file_, line_number_ + 1);
  line_start_ = next_;
  line_size_ = end - next_;
  if (line_size_ > 0 && text_[end - 1] == '\r') --line_size_;
  next_ = end + 1;
  ++line_number_;
  return true;
}

bool LineReader::only_blank_lines_left() {
  while (text_.find_first_not_of(" \t\r\n", next_) == std::string_view::npos) {
    if (!read_more(/*keep_current_line=*/true)) return true;
  }
  return false;
}

void LineReader::fail(const std::string& problem) const { fail_at(line_number_, problem); }

void LineReader::fail_at(int64_t line, const std::string& problem) const { throw DataError(file_, line, problem); }

double LineReader::real(std::string_view token, std::string_view what) const {
  const auto value = parse_real(token);
  if (!value) fail("unparsable number " + quoted(token) + " for " + std::string(what));
  if (!std::isfinite(*value)) fail("not a finite number " + quoted(token) + " for " + std::string(what));
  return *value;
}

int64_t LineReader::integer(std::string_view token, std::string_view what) const {
  const auto value = parse_integer(token);
  if (!value) fail("unparsable integer " + quoted(token) + " for " + std::string(what));
  return *value;
}

void split_whitespace(std::string_view line, std::vector<std::string_view>& tokens) {
  tokens.clear();
  size_t i = 0;
  while (true) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) return;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    tokens.push_back(line.substr(start, i - start));
  }
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string quoted(std::string_view text) {
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMax)) + "...'";
}

}  // namespace e3::data
