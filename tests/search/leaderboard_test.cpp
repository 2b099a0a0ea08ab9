// The leaderboard's ranking (the thesis': targets on which a trial is best, then the mean
// normalized MAE) and its text, JSON and CSV forms.

#include "e3/search/leaderboard.h"

#include <gtest/gtest.h>

#include <sstream>

#include "process.h"

namespace e3::search {
namespace {

TrialRecord complete(int64_t number, double mu, double alpha, double gap) {
  TrialRecord trial;
  trial.number = number;
  trial.state = TrialState::complete;
  trial.config = {{"batch_size", 8 + number}, {"learning_rate", 0.001 * (number + 1)}, {"model", "mlpnet"}};
  trial.run_dir = "/runs/" + trial_name(number);
  trial.epochs_done = 10;
  trial.best_score = 0.5;
  trial.test = {{"mu", mu, 1.0, "D"}, {"alpha", alpha, 10.0, "a0^3"}, {"gap", gap, 2.0, "eV"}};
  return trial;
}

TrialRecord unfinished(int64_t number, TrialState state, int64_t epochs) {
  TrialRecord trial;
  trial.number = number;
  trial.state = state;
  trial.epochs_done = epochs;
  trial.config = {{"batch_size", 20}, {"learning_rate", 0.1}};
  if (state == TrialState::failed) trial.message = "training diverged";
  return trial;
}

Leaderboard board() {
  std::vector<TrialRecord> trials = {
      complete(0, 0.50, 5.0, 0.30),                // best on none
      complete(1, 0.10, 4.0, 0.50),                // best on mu
      unfinished(2, TrialState::pruned, 3),
      complete(3, 0.20, 1.0, 0.10),                // best on alpha and gap
      complete(4, 0.30, 6.0, 0.10),                // best on gap too (a tie), normalized 0.35
      unfinished(5, TrialState::failed, 1),
      complete(6, 0.40, 2.0, 0.20),                // best on none, normalized 0.2
      unfinished(7, TrialState::running, 2),
      unfinished(8, TrialState::queued, 0),
  };
  return Leaderboard(trials, {"mu", "alpha", "gap"}, {"batch_size", "learning_rate"});
}

TEST(Leaderboard, RanksByTargetsWonThenNormalizedMae) {
  const auto b = board();
  std::vector<int64_t> order, ranks;
  for (const auto& entry : b.entries()) {
    order.push_back(entry.trial.number);
    ranks.push_back(entry.rank);
  }
  // 3 wins two targets; 1 and 4 one each (1: normalized (0.1 + 0.4 + 0.25)/3 = 0.25 < 4's
  // (0.3 + 0.6 + 0.05)/3 = 0.317); 6 and 0 none (6: 0.233 < 0: 0.383); then the rest by number.
  EXPECT_EQ(order, (std::vector<int64_t>{3, 1, 4, 6, 0, 2, 5, 7, 8}));
  EXPECT_EQ(ranks, (std::vector<int64_t>{1, 2, 3, 4, 5, 0, 0, 0, 0}));
  EXPECT_EQ(b.entries()[0].best_on, (std::vector<std::string>{"alpha", "gap"}));
  EXPECT_EQ(b.entries()[2].best_on, (std::vector<std::string>{"gap"}));
  EXPECT_NEAR(*b.entries()[1].normalized_mae, 0.25, 1e-15);
  EXPECT_FALSE(b.entries()[5].normalized_mae);
  EXPECT_EQ(b.leader()->trial.number, 3);
  EXPECT_EQ(b.best_for("mu")->number, 1);
  EXPECT_EQ(b.best_for("gap")->number, 3);  // tied with 4: the lower number
  EXPECT_THROW(b.best_for("U0"), std::invalid_argument);
  EXPECT_EQ(Leaderboard({unfinished(0, TrialState::queued, 0)}, {"mu"}, {}).best_for("mu"), nullptr);
}

TEST(Leaderboard, StatusLine) {
  EXPECT_EQ(board().status_line(),
            "7/9 done (5 complete, 1 pruned, 1 failed), 1 running, 1 queued; leader: trial 3, best on 2 of 3 targets, "
            "normalized MAE 0.1167");  // trial 3: (0.2 / 1 + 1 / 10 + 0.1 / 2) / 3
}

// The whitespace-separated cells of each line of `text`.
std::vector<std::vector<std::string>> cells(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    rows.emplace_back();
    for (std::string word; words >> word;) rows.back().push_back(word);
  }
  return rows;
}

TEST(Leaderboard, Text) {
  const std::string text = board().text();
  const auto rows = cells(text);
  ASSERT_EQ(rows.size(), 1u + 9u + 1u) << text;  // header, trials, the failed one's message
  using Row = std::vector<std::string>;
  EXPECT_EQ(rows[0], (Row{"rank", "trial", "state", "best", "on", "norm.", "MAE", "mu", "[D]", "alpha", "[a0^3]", "gap",
                          "[eV]", "batch_size", "learning_rate", "run"}));
  // The best value of each target is starred.
  EXPECT_EQ(rows[1], (Row{"1", "3", "complete", "2", "0.1167", "0.2", "1*", "0.1*", "11", "0.004", "/runs/trial-0003"}));
  EXPECT_EQ(rows[2], (Row{"2", "1", "complete", "1", "0.25", "0.1*", "4", "0.5", "9", "0.002", "/runs/trial-0001"}));
  EXPECT_EQ(rows[3][7], "0.1*");  // trial 4 ties on gap
  EXPECT_EQ(rows[6], (Row{"-", "2", "pruned@3", "-", "-", "-", "-", "-", "20", "0.1", "-"}));
  EXPECT_EQ(rows[10], (Row{"trial", "5", "failed:", "training", "diverged"}));
  // Columns line up: every trial's run directory starts where the header's "run" does.
  const auto header_end = text.find('\n');
  const auto run_column = text.rfind("run", header_end);
  const auto row = text.substr(header_end + 1, text.find('\n', header_end + 1) - header_end - 1);
  EXPECT_EQ(row.find("/runs/"), run_column) << text;
}

TEST(Leaderboard, JsonAndCsv) {
  const auto json = board().json();
  EXPECT_EQ(json["targets"], (nlohmann::json{"mu", "alpha", "gap"}));
  ASSERT_EQ(json["trials"].size(), 9u);
  const auto& first = json["trials"][0];
  EXPECT_EQ(first["rank"], 1);
  EXPECT_EQ(first["trial"], 3);
  EXPECT_EQ(first["state"], "complete");
  EXPECT_EQ(first["best_on"], (nlohmann::json{"alpha", "gap"}));
  EXPECT_EQ(first["test_mae"]["alpha"], 1.0);
  EXPECT_EQ(first["hyperparameters"], (nlohmann::json{{"batch_size", 11}, {"learning_rate", 0.004}}));
  EXPECT_EQ(first["config_file"], "/runs/trial-0003.json");
  EXPECT_TRUE(json["trials"][5]["rank"].is_null());
  EXPECT_TRUE(json["trials"][5]["normalized_mae"].is_null());

  const std::string csv = board().csv();
  EXPECT_EQ(testing::count_lines(csv), 10);
  EXPECT_EQ(csv.rfind("rank,trial,state,epochs_done,best_on,normalized_mae,mu_mae,alpha_mae,gap_mae,batch_size,"
                      "learning_rate,run_dir\n1,3,complete,10,2,",
                      0),
            0u)
      << csv;
  EXPECT_NE(csv.find("\n,2,pruned,3,0,,,,,20,0.10000000000000001,\n"), std::string::npos) << csv;
}

}  // namespace
}  // namespace e3::search
