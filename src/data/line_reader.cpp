#include "line_reader.h"

#include <cmath>

#include "e3/data/error.h"
#include "e3/data/numbers.h"

namespace e3::data {

LineReader::LineReader(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

bool LineReader::next() {
  if (next_ >= text_.size()) return false;
  size_t end = text_.find('\n', next_);
  if (end == std::string_view::npos) end = text_.size();
  line_ = text_.substr(next_, end - next_);
  if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
  next_ = end + 1;
  ++line_number_;
  return true;
}

bool LineReader::only_blank_lines_left() const {
  return text_.find_first_not_of(" \t\r\n", next_) == std::string_view::npos;
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
