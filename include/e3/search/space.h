#pragma once
// A hyperparameter search space: for each key of a training configuration, a fixed value or a
// distribution to draw it from (thesis Section 3.2.1, Table 3.3).
//
// A space is a JSON object; each member is a configuration key (include/e3/search/trial_keys.h)
// and its value either a plain JSON value (the key is fixed) or an object naming one
// distribution:
//
//   {"int": [LO, HI]}          an integer, uniform on LO..HI inclusive
//   {"uniform": [LO, HI]}      a number, uniform on [LO, HI)
//   {"log_uniform": [LO, HI]}  a number whose logarithm is uniform (0 < LO < HI)
//   {"choice": [A, B, ...]}    one of the values, each with the same probability
//   {"components": [LO, HI]}   a representation: C uniform on LO..HI, divided between Y^0 and
//                              Y^1 by (3.4) with p uniform on [0, 1] (search/components.h)
//
// A trial's values depend only on (seed, trial number): trial n of a study draws key k from a
// generator seeded by (seed, n, k), so a study is the same whatever the number of workers that
// sample it, and changing one key's range leaves the other keys' draws as they were.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace e3::search {

/// A bad search space. what() is one line naming the file (or origin) and the key.
class SpaceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// How one key gets its value.
struct Parameter {
  enum class Kind { fixed, integer, uniform, log_uniform, choice, components };

  std::string key;
  Kind kind = Kind::fixed;
  nlohmann::json value;                ///< fixed: the value
  double low = 0.0, high = 0.0;        ///< integer, uniform, log_uniform, components: the range
  std::vector<nlohmann::json> values;  ///< choice: the values
};

class SearchSpace {
 public:
  /// Table 3.3 for the multi-target network ("model": "mlpnet"), the space the thesis searched.
  static SearchSpace table_3_3();

  /// The space of a JSON object; `origin` (a file name) starts every error message. SpaceError
  /// for a key that is not a training configuration key or is set by the study (data, epochs,
  /// seed, split, targets), a key a trial leaves at its default (validate_every, patience,
  /// max_minutes: search/trial_keys.h), an unknown distribution, a range that is not [LO, HI]
  /// or is empty or inverted, a value of the wrong type for its key.
  static SearchSpace from_json(const nlohmann::ordered_json& json, const std::string& origin);
  /// The space in the JSON file at `path`; SpaceError naming the file when it cannot be read
  /// or is not valid JSON.
  static SearchSpace from_file(const std::string& path);

  /// Every key, in the order of the file.
  const std::vector<Parameter>& parameters() const { return parameters_; }
  /// The keys that are drawn rather than fixed, in the order of the file.
  std::vector<std::string> searched_keys() const;

  /// The space as JSON, in the syntax from_json() reads (the file's order of keys).
  nlohmann::ordered_json to_json() const;

  /// The values of trial `trial` of a study seeded `seed`.
  nlohmann::json sample(uint64_t seed, int64_t trial) const;

 private:
  std::vector<Parameter> parameters_;
};

}  // namespace e3::search
