#include "files.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace e3::testing {

TempDir::TempDir() {
  char pattern[] = "/tmp/e3-test-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("cannot create a temporary directory");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string sample_file() { return std::string(E3_SOURCE_DIR) + "/data/qm9-sample/qm9-sample.extxyz.gz"; }

}  // namespace e3::testing
