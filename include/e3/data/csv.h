#pragma once
// CSV (RFC 4180): the one quoting rule of every CSV file the tool writes, and the reading of a
// line of a CSV file the tool reads.

#include <string>
#include <string_view>
#include <vector>

namespace e3::data {

/// `text` as a CSV field: as it is, or in double quotes (with quotes doubled) when it holds a
/// comma, a quote or a line break.
std::string csv_field(const std::string& text);

/// The fields of one CSV line: separated by commas, each plain or in double quotes (a quote
/// inside doubled). std::invalid_argument for an unclosed quote or text after a closing quote
/// (a quoted field spanning lines is not read).
std::vector<std::string> parse_csv_line(std::string_view line);

}  // namespace e3::data
