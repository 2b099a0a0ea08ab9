#include "e3/data/split.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "e3/data/atomic_file.h"
#include "e3/data/error.h"
#include "e3/data/numbers.h"
#include "e3/data/random.h"

namespace e3::data {
namespace {

constexpr double kFractionSlack = 1e-9;  // fractions like 0.8 + 0.1 + 0.1 do not add up to 1 exactly

constexpr const char* kParts[3] = {"train", "val", "test"};

// Part i of a split, in the order of kParts (for a Split or a const Split).
template <typename SplitType>
auto& part(SplitType& split, size_t i) {
  return i == 0 ? split.train : i == 1 ? split.val : split.test;
}

size_t rounded_count(size_t num_molecules, double fraction) {
  return static_cast<size_t>(std::llround(fraction * static_cast<double>(num_molecules)));
}

}  // namespace

SplitSizes default_split_sizes(size_t num_molecules) {
  if (num_molecules > 120000) return {110000, 10000, num_molecules - 120000};
  return split_sizes_from_fractions(num_molecules, 0.8, 0.1, 0.1);
}

SplitSizes split_sizes_from_fractions(size_t num_molecules, double train, double val, double test) {
  for (double fraction : {train, val, test}) {
    if (!(fraction >= 0.0 && fraction <= 1.0)) {
      throw std::invalid_argument("split fractions must lie in [0, 1], got " + std::to_string(fraction));
    }
  }
  const double sum = train + val + test;
  if (sum > 1.0 + kFractionSlack) {
    throw std::invalid_argument("split fractions add up to " + std::to_string(sum) + ", more than 1");
  }
  SplitSizes sizes;
  sizes.train = rounded_count(num_molecules, train);
  sizes.val = std::min(rounded_count(num_molecules, val), num_molecules - sizes.train);
  const size_t rest = num_molecules - sizes.train - sizes.val;
  sizes.test = sum >= 1.0 - kFractionSlack ? rest : std::min(rounded_count(num_molecules, test), rest);
  return sizes;
}

SplitSizes parse_split_sizes(const std::string& text, size_t num_molecules) {
  const auto bad = [&](const std::string& why) {
    throw std::invalid_argument("invalid split '" + text + "': " + why +
                                " (expected counts TRAIN,VAL[,TEST] or fractions such as 0.8,0.1[,0.1])");
  };
  std::vector<std::string> fields;
  std::stringstream stream(text);
  for (std::string field; std::getline(stream, field, ',');) fields.push_back(field);
  if (fields.size() < 2 || fields.size() > 3 || (!text.empty() && text.back() == ',')) bad("two or three fields");
  const bool fractions =
      std::any_of(fields.begin(), fields.end(), [](const auto& f) { return f.find('.') != std::string::npos; });
  if (fractions) {
    std::vector<double> values;
    for (const auto& field : fields) {
      const auto value = parse_real(field);
      if (!value) bad("'" + field + "' is not a number");
      values.push_back(*value);
    }
    const double test = values.size() == 3 ? values[2] : std::max(0.0, 1.0 - values[0] - values[1]);
    return split_sizes_from_fractions(num_molecules, values[0], values[1], test);
  }
  std::vector<size_t> counts;
  for (const auto& field : fields) {
    const auto value = parse_integer(field);
    if (!value || *value < 0) bad("'" + field + "' is not a count");
    counts.push_back(static_cast<size_t>(*value));
  }
  if (counts[0] + counts[1] > num_molecules) {
    bad("asks for " + std::to_string(counts[0] + counts[1]) + " molecules, the data has " +
        std::to_string(num_molecules));
  }
  const size_t rest = num_molecules - counts[0] - counts[1];
  if (counts.size() == 3 && counts[2] > rest) {
    bad("asks for " + std::to_string(counts[0] + counts[1] + counts[2]) + " molecules, the data has " +
        std::to_string(num_molecules));
  }
  return {counts[0], counts[1], counts.size() == 3 ? counts[2] : rest};
}

Split random_split(size_t num_molecules, const SplitSizes& sizes, uint64_t seed) {
  if (sizes.train + sizes.val + sizes.test > num_molecules) {
    throw std::invalid_argument("split sizes " + std::to_string(sizes.train) + "/" + std::to_string(sizes.val) + "/" +
                                std::to_string(sizes.test) + " need more than the " + std::to_string(num_molecules) +
                                " molecules");
  }
  std::vector<size_t> permutation(num_molecules);
  std::iota(permutation.begin(), permutation.end(), size_t{0});
  std::mt19937_64 engine(seed);
  shuffle(permutation, engine);
  Split split;
  split.seed = seed;
  auto next = permutation.begin();
  const size_t counts[3] = {sizes.train, sizes.val, sizes.test};
  for (size_t i = 0; i < 3; ++i) {
    part(split, i).assign(next, next + static_cast<std::ptrdiff_t>(counts[i]));
    std::sort(part(split, i).begin(), part(split, i).end());
    next += static_cast<std::ptrdiff_t>(counts[i]);
  }
  return split;
}

void write_split(const std::string& path, const Split& split, const Dataset& dataset) {
  nlohmann::json json;
  json["seed"] = split.seed;
  for (size_t i = 0; i < 3; ++i) {
    auto& ids = json[kParts[i]] = nlohmann::json::array();
    for (size_t index : part(split, i)) ids.push_back(dataset.molecules().at(index).id);
  }
  write_file_atomically(path, json.dump() + "\n");
}

Split read_split(const std::string& path, const Dataset& dataset, AbsentIds absent) {
  std::ifstream in(path);
  if (!in) throw DataError(path, 0, "cannot open the split file");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw DataError(path, 0, std::string("not a split file: ") + error.what());
  }
  if (!json.is_object() || !json.contains("seed") || !json["seed"].is_number_unsigned()) {
    throw DataError(path, 0,
                    "not a split file: expected an object with \"seed\" (an unsigned integer), \"train\", "
                    "\"val\" and \"test\"");
  }
  Split split;
  split.seed = json["seed"].get<uint64_t>();
  std::vector<const char*> owner(dataset.size(), nullptr);  // the part each molecule is in
  for (size_t i = 0; i < 3; ++i) {
    const auto& ids = json.contains(kParts[i]) ? json[kParts[i]] : nlohmann::json();
    if (!ids.is_array()) {
      throw DataError(path, 0, std::string("not a split file: \"") + kParts[i] + "\" is not a list of ids");
    }
    for (const auto& id : ids) {
      if (!id.is_string()) {
        throw DataError(path, 0, std::string("not a split file: \"") + kParts[i] + "\" holds a non-string id");
      }
      const auto index = dataset.find(id.get<std::string>());
      if (!index && absent == AbsentIds::skip) continue;
      if (!index) {
        throw DataError(path, 0,
                        "molecule id " + id.get<std::string>() + " (in \"" + kParts[i] +
                            "\") is not in the data set of " + std::to_string(dataset.size()) + " molecules");
      }
      if (owner[*index]) {
        throw DataError(path, 0,
                        "molecule id " + id.get<std::string>() + " appears twice (in \"" + owner[*index] + "\" and \"" +
                            kParts[i] + "\")");
      }
      owner[*index] = kParts[i];
      part(split, i).push_back(*index);
    }
    std::sort(part(split, i).begin(), part(split, i).end());
  }
  return split;
}

}  // namespace e3::data
