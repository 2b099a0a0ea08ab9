#include "e3/data/split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "data_test_files.h"
#include "e3/data/random.h"
#include "e3/data/read.h"

namespace e3::data {
namespace {

// A dataset of n one-atom molecules with ids "m0", "m1", ...
Dataset numbered_dataset(size_t n) {
  std::vector<Molecule> molecules(n);
  for (size_t i = 0; i < n; ++i) {
    molecules[i].id = "m" + std::to_string(i);
    molecules[i].atomic_numbers = {1};
    molecules[i].positions = {0, 0, 0};
  }
  return Dataset(std::move(molecules));
}

TEST(DataSplit, DefaultSizes) {
  const auto large = default_split_sizes(133885);
  EXPECT_EQ(large.train, 110000u);
  EXPECT_EQ(large.val, 10000u);
  EXPECT_EQ(large.test, 13885u);
  const auto reconstruction = default_split_sizes(100436);
  EXPECT_EQ(reconstruction.train, 80349u);
  EXPECT_EQ(reconstruction.val, 10044u);
  EXPECT_EQ(reconstruction.test, 10043u);
  const auto edge = default_split_sizes(120000);  // not more than 120,000: fractions
  EXPECT_EQ(edge.train, 96000u);
}

TEST(DataSplit, SizesFromFractionsAndText) {
  const auto sizes = split_sizes_from_fractions(1000, 0.5, 0.25, 0.1);
  EXPECT_EQ(sizes.train, 500u);
  EXPECT_EQ(sizes.val, 250u);
  EXPECT_EQ(sizes.test, 100u);
  const auto counts = parse_split_sizes("700,100", 1000);
  EXPECT_EQ(counts.train, 700u);
  EXPECT_EQ(counts.val, 100u);
  EXPECT_EQ(counts.test, 200u);
  const auto three = parse_split_sizes("700,100,50", 1000);
  EXPECT_EQ(three.test, 50u);
  const auto fractions = parse_split_sizes("0.8,0.1", 5022);
  EXPECT_EQ(fractions.train, 4018u);
  EXPECT_EQ(fractions.val, 502u);
  EXPECT_EQ(fractions.test, 502u);
  for (const char* bad : {"700", "700,100,50,1", "a,b", "900,200", "700,100,300", "0.9,0.2", "-1,5", "0.8,0.1,"}) {
    EXPECT_THROW(parse_split_sizes(bad, 1000), std::invalid_argument) << bad;
  }
}

TEST(DataSplit, SizesPartsAndReproducibility) {
  const Split split = random_split(1000, {700, 100, 150}, 7);
  EXPECT_EQ(split.seed, 7u);
  EXPECT_EQ(split.train.size(), 700u);
  EXPECT_EQ(split.val.size(), 100u);
  EXPECT_EQ(split.test.size(), 150u);
  std::set<size_t> all(split.train.begin(), split.train.end());
  all.insert(split.val.begin(), split.val.end());
  all.insert(split.test.begin(), split.test.end());
  EXPECT_EQ(all.size(), 950u);  // disjoint
  EXPECT_LT(*all.rbegin(), 1000u);
  EXPECT_TRUE(std::is_sorted(split.train.begin(), split.train.end()));

  const Split again = random_split(1000, {700, 100, 150}, 7);
  EXPECT_EQ(again.train, split.train);
  EXPECT_EQ(again.val, split.val);
  EXPECT_EQ(again.test, split.test);
  EXPECT_NE(random_split(1000, {700, 100, 150}, 8).val, split.val);
  EXPECT_THROW(random_split(10, {8, 2, 1}, 0), std::invalid_argument);
}

TEST(DataSplit, SameSplitOnEveryMachine) {
  // Fixed by mt19937_64 (specified by the standard) and our own Fisher–Yates with rejection
  // sampling; the numbers were checked against a separate implementation of MT19937-64 from
  // Matsumoto and Nishimura's reference algorithm. A change here means that old split seeds
  // no longer reproduce.
  const Split split = random_split(10, {4, 3, 3}, 42);
  EXPECT_EQ(split.train, (std::vector<size_t>{0, 1, 7, 9}));
  EXPECT_EQ(split.val, (std::vector<size_t>{3, 4, 8}));
  EXPECT_EQ(split.test, (std::vector<size_t>{2, 5, 6}));
}

TEST(DataSplit, UniformBelowIsUnbiased) {
  std::mt19937_64 engine(1);
  std::vector<int> counts(3, 0);
  const int draws = 30000;
  for (int i = 0; i < draws; ++i) ++counts[uniform_below(3, engine)];
  for (int count : counts) EXPECT_NEAR(count, draws / 3, 5 * 82);  // 5 sigma, sigma = sqrt(n p (1 - p)) ~ 82
  EXPECT_EQ(uniform_below(1, engine), 0u);
  EXPECT_THROW(uniform_below(0, engine), std::invalid_argument);
}

TEST(DataSplit, RoundTripThroughTheJsonFile) {
  const Dataset dataset = numbered_dataset(50);
  const Split split = random_split(dataset.size(), {30, 10, 10}, 123);
  testing::TempDir dir;
  const std::string path = dir.file("split.json");
  write_split(path, split, dataset);
  const Split back = read_split(path, dataset);
  EXPECT_EQ(back.seed, 123u);
  EXPECT_EQ(back.train, split.train);
  EXPECT_EQ(back.val, split.val);
  EXPECT_EQ(back.test, split.test);
  // Written atomically: only the file itself is left in the directory, readable by all.
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
    EXPECT_EQ(entry.path().filename(), "split.json");
  }
  EXPECT_EQ(files, 1u);
  const auto permissions = std::filesystem::status(path).permissions();
  EXPECT_NE(permissions & std::filesystem::perms::others_read, std::filesystem::perms::none);
  const std::string text = testing::read_file(path);
  EXPECT_EQ(text.rfind("{\"seed\":123,", 0), 0u) << text;
  EXPECT_NE(text.find("\"m" + std::to_string(split.val[0]) + "\""), std::string::npos);
}

TEST(DataSplit, SplitFileErrorsNameTheId) {
  const Dataset dataset = numbered_dataset(5);
  testing::TempDir dir;
  const std::string path = dir.file("split.json");
  testing::write_text(path, R"({"seed": 1, "train": ["m0", "m9"], "val": [], "test": []})");
  testing::expect_error_at(testing::data_error([&] { read_split(path, dataset); }), path, 0,
                           "molecule id m9 (in \"train\") is not in the data set of 5 molecules");
  // A dataset that holds part of the data split: the ids it has, the others skipped.
  const Split part = read_split(path, dataset, AbsentIds::skip);
  EXPECT_EQ(part.train, std::vector<size_t>{0});
  EXPECT_TRUE(part.val.empty());
  testing::write_text(path, R"({"seed": 1, "train": ["m0"], "val": ["m1"], "test": ["m0"]})");
  testing::expect_error_at(testing::data_error([&] { read_split(path, dataset, AbsentIds::skip); }), path, 0,
                           "appears twice");
  testing::expect_error_at(testing::data_error([&] { read_split(path, dataset); }), path, 0,
                           "molecule id m0 appears twice (in \"train\" and \"test\")");
  testing::write_text(path, R"({"seed": 1, "train": ["m0"]})");
  testing::expect_error_at(testing::data_error([&] { read_split(path, dataset); }), path, 0,
                           "\"val\" is not a list of ids");
  testing::write_text(path, "{\"seed\": ");
  testing::expect_error_at(testing::data_error([&] { read_split(path, dataset); }), path, 0, "not a split file");
  testing::expect_error_at(testing::data_error([&] { read_split(dir.file("none.json"), dataset); }),
                           dir.file("none.json"), 0, "cannot open the split file");
}

TEST(DataSplit, TheSampleSplitsBySeedWithIds) {
  const Dataset sample = Dataset::read(testing::sample_file());
  const Split split = random_split(sample.size(), default_split_sizes(sample.size()), 1);
  EXPECT_EQ(split.train.size(), 4018u);
  EXPECT_EQ(split.val.size(), 502u);
  EXPECT_EQ(split.test.size(), 502u);
}

}  // namespace
}  // namespace e3::data
