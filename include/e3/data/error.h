#pragma once
// DataError: every problem with input data (a file, an archive, a split file) is reported
// as one line that says where and what, `FILE:LINE: problem`, so that a user can open the
// file at the line. Readers never crash on bad input and never skip it silently.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace e3::data {

/// Bad or unreadable input data. what() is one line: "FILE:LINE: problem", or "FILE: problem"
/// when no line applies (a missing path, an archive that cannot be opened).
class DataError : public std::runtime_error {
 public:
  /// `line` counts from 1; 0 leaves the line out of the message.
  DataError(const std::string& file, int64_t line, const std::string& problem);

  const std::string& file() const { return file_; }
  int64_t line() const { return line_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string file_;
  int64_t line_;
  std::string problem_;
};

}  // namespace e3::data
