#pragma once
// The databases the study-store tests run against (each test gets a fresh study in one), and
// the fixture of the suite they share.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "e3/search/study_store.h"
#include "files.h"

namespace e3::testing {

/// Where a test's study lives; `unavailable` says why there is none (the test skips).
struct StudyLocation {
  std::string location;  ///< an SQLite path or a postgresql:// URL
  std::string name;      ///< a study name no other test uses in that database
  std::string unavailable;
};

struct StoreBackend {
  std::string name;
  /// A fresh study; `dir` is the test's temporary directory.
  std::function<StudyLocation(const std::string& dir)> make;
};

/// Test names show the backend's name.
inline void PrintTo(const StoreBackend& backend, std::ostream* out) { *out << backend.name; }

/// The fixture of the shared store suite (store_test.cpp); each backend instantiates it.
class StudyStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;
  /// The test's study database (creating the schema when needed).
  std::unique_ptr<search::StudyStore> open() const;
  /// A store holding a new study of `trials` trials (small_study()).
  std::unique_ptr<search::StudyStore> create(int64_t trials) const;

  TempDir dir_;
  StudyLocation where_;
};

/// A study name unique to this process and call (several tests share one PostgreSQL database).
std::string unique_study_name();

/// A definition for store tests: Table 3.3, seed 1, `trials` trials of `epochs` epochs on
/// synthetic curves, targets mu,alpha.
search::StudyDefinition small_study(int64_t trials, int64_t epochs = 3);

}  // namespace e3::testing
