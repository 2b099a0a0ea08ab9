#include "e3/data/error.h"

namespace e3::data {
namespace {

std::string format(const std::string& file, int64_t line, const std::string& problem) {
  std::string message = file;
  if (line > 0) message += ":" + std::to_string(line);
  message += ": " + problem;
  // One line, whatever the problem text quotes from the file.
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return message;
}

}  // namespace

DataError::DataError(const std::string& file, int64_t line, const std::string& problem)
    : std::runtime_error(format(file, line, problem)), file_(file), line_(line), problem_(problem) {}

}  // namespace e3::data
