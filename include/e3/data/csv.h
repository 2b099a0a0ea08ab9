#pragma once
// CSV output (RFC 4180): the one quoting rule of every CSV file the tool writes.

#include <string>

namespace e3::data {

/// `text` as a CSV field: as it is, or in double quotes (with quotes doubled) when it holds a
/// comma, a quote or a line break.
std::string csv_field(const std::string& text);

}  // namespace e3::data
