#include "e3/data/csv.h"

#include <stdexcept>

namespace e3::data {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::vector<std::string> parse_csv_line(std::string_view line) {
  std::vector<std::string> fields(1);
  size_t i = 0;
  while (i <= line.size()) {
    std::string& field = fields.back();
    if (i < line.size() && line[i] == '"' && field.empty()) {
      // A quoted field: up to the quote that is not doubled.
      for (++i;; ++i) {
        if (i >= line.size()) throw std::invalid_argument("unclosed quote in a CSV field");
        if (line[i] != '"') {
          field += line[i];
        } else if (i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          break;
        }
      }
      ++i;  // past the closing quote
      if (i < line.size() && line[i] != ',') throw std::invalid_argument("text after a closing quote in a CSV field");
    }
    if (i == line.size()) break;
    if (line[i] == ',') {
      fields.emplace_back();
    } else {
      field += line[i];
    }
    ++i;
  }
  return fields;
}

}  // namespace e3::data
