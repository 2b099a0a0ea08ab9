#include "e3/search/leaderboard.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>

#include "e3/data/csv.h"

namespace e3::search {
namespace {

std::string format_number(double value, int digits = 4) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.*g", digits, value);
  return text;
}

std::string format_value(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return format_number(value.get<double>());
  return value.dump();
}

const TargetError* error_on(const TrialRecord& trial, const std::string& target) {
  for (const auto& error : trial.test) {
    if (error.target == target) return &error;
  }
  return nullptr;
}

bool is_ranked(const TrialRecord& trial, const std::vector<std::string>& targets) {
  if (trial.state != TrialState::complete) return false;
  return std::all_of(targets.begin(), targets.end(), [&](const auto& t) { return error_on(trial, t) != nullptr; });
}

// "complete", "pruned@3" (after 3 epochs), "failed", "running", "queued".
std::string state_text(const TrialRecord& trial) {
  if (trial.state == TrialState::pruned) return "pruned@" + std::to_string(trial.epochs_done);
  return state_name(trial.state);
}

// Columns padded to their widest cell; numbers right-aligned, the last column left as is.
std::string aligned(const std::vector<std::vector<std::string>>& rows, size_t left_aligned_from) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::ostringstream out;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string padding(widths[c] - row[c].size(), ' ');
      if (c > 0) out << "  ";
      if (c + 1 == row.size()) {
        out << row[c];
      } else {
        out << (c < left_aligned_from ? padding + row[c] : row[c] + padding);
      }
    }
    out << '\n';
  }
  return out.str();
}

}  // namespace

Leaderboard::Leaderboard(std::vector<TrialRecord> trials, std::vector<std::string> targets,
                         std::vector<std::string> hyperparameters)
    : targets_(std::move(targets)), hyperparameters_(std::move(hyperparameters)) {
  // The lowest test MAE of each target over the complete trials.
  std::map<std::string, double> lowest;
  for (const auto& trial : trials) {
    if (!is_ranked(trial, targets_)) continue;
    for (const auto& target : targets_) {
      const double mae = error_on(trial, target)->mae;
      if (!lowest.count(target) || mae < lowest[target]) lowest[target] = mae;
    }
  }
  std::vector<LeaderboardEntry> ranked, others;
  for (auto& trial : trials) {
    LeaderboardEntry entry;
    if (is_ranked(trial, targets_)) {
      std::vector<TargetError> errors;
      for (const auto& target : targets_) {
        const auto* error = error_on(trial, target);
        errors.push_back(*error);
        if (error->mae == lowest[target]) entry.best_on.push_back(target);
      }
      entry.normalized_mae = normalized_error(errors);
    }
    entry.trial = std::move(trial);
    (entry.normalized_mae ? ranked : others).push_back(std::move(entry));
  }
  std::sort(ranked.begin(), ranked.end(), [](const LeaderboardEntry& a, const LeaderboardEntry& b) {
    if (a.best_on.size() != b.best_on.size()) return a.best_on.size() > b.best_on.size();
    if (*a.normalized_mae != *b.normalized_mae) return *a.normalized_mae < *b.normalized_mae;
    return a.trial.number < b.trial.number;
  });
  for (size_t i = 0; i < ranked.size(); ++i) ranked[i].rank = static_cast<int64_t>(i + 1);
  entries_ = std::move(ranked);
  entries_.insert(entries_.end(), std::make_move_iterator(others.begin()), std::make_move_iterator(others.end()));
}

Leaderboard Leaderboard::of(StudyStore& store, const StudyDefinition& definition) {
  return Leaderboard(store.trials(), parse_target_list(definition.settings.targets), definition.space.searched_keys());
}

const TrialRecord* Leaderboard::best_for(const std::string& target) const {
  if (std::find(targets_.begin(), targets_.end(), target) == targets_.end()) {
    std::string list;
    for (const auto& t : targets_) list += (list.empty() ? "" : ", ") + t;
    throw std::invalid_argument("the study's targets are " + list + "; it has no target '" + target + "'");
  }
  const TrialRecord* best = nullptr;
  for (const auto& entry : entries_) {
    if (entry.rank == 0) continue;
    const double mae = error_on(entry.trial, target)->mae;
    if (!best || mae < error_on(*best, target)->mae ||
        (mae == error_on(*best, target)->mae && entry.trial.number < best->number)) {
      best = &entry.trial;
    }
  }
  return best;
}

const LeaderboardEntry* Leaderboard::leader() const {
  return !entries_.empty() && entries_.front().rank == 1 ? &entries_.front() : nullptr;
}

std::string Leaderboard::status_line() const {
  std::map<TrialState, int64_t> counts;
  for (const auto& entry : entries_) ++counts[entry.trial.state];
  const int64_t done = counts[TrialState::complete] + counts[TrialState::pruned] + counts[TrialState::failed];
  std::ostringstream line;
  line << done << '/' << entries_.size() << " done (" << counts[TrialState::complete] << " complete, "
       << counts[TrialState::pruned] << " pruned, " << counts[TrialState::failed] << " failed), "
       << counts[TrialState::running] << " running, " << counts[TrialState::queued] << " queued";
  if (const auto* best = leader()) {
    line << "; leader: trial " << best->trial.number << ", best on " << best->best_on.size() << " of "
         << targets_.size() << (targets_.size() == 1 ? " target" : " targets") << ", normalized MAE "
         << format_number(*best->normalized_mae);
  }
  return line.str();
}

std::string Leaderboard::text() const {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"rank", "trial", "state", "best on", "norm. MAE"};
  const auto* first = leader();  // a complete trial, whose errors carry the units
  for (const auto& target : targets_) {
    const auto* error = first ? error_on(first->trial, target) : nullptr;
    header.push_back(target + (error && !error->unit.empty() ? " [" + error->unit + "]" : ""));
  }
  const size_t left_aligned_from = header.size();
  header.insert(header.end(), hyperparameters_.begin(), hyperparameters_.end());
  header.push_back("run");
  rows.push_back(header);
  for (const auto& entry : entries_) {
    const auto& trial = entry.trial;
    std::vector<std::string> row = {entry.rank ? std::to_string(entry.rank) : "-", std::to_string(trial.number),
                                    state_text(trial), entry.rank ? std::to_string(entry.best_on.size()) : "-",
                                    entry.normalized_mae ? format_number(*entry.normalized_mae) : "-"};
    for (const auto& target : targets_) {
      if (!entry.rank) {
        row.push_back("-");
        continue;
      }
      const bool best = std::find(entry.best_on.begin(), entry.best_on.end(), target) != entry.best_on.end();
      row.push_back(format_number(error_on(trial, target)->mae) + (best ? "*" : " "));
    }
    for (const auto& key : hyperparameters_) row.push_back(trial.config.contains(key) ? format_value(trial.config[key]) : "-");
    row.push_back(trial.run_dir.empty() ? "-" : trial.run_dir);
    rows.push_back(row);
  }
  std::string text = aligned(rows, left_aligned_from);
  for (const auto& entry : entries_) {
    if (entry.trial.state == TrialState::failed) {
      text += "trial " + std::to_string(entry.trial.number) + " failed: " + entry.trial.message + "\n";
    }
  }
  return text;
}

nlohmann::json Leaderboard::json() const {
  auto trials = nlohmann::json::array();
  for (const auto& entry : entries_) {
    const auto& trial = entry.trial;
    nlohmann::json test = nlohmann::json::object();
    for (const auto& error : trial.test) test[error.target] = error.mae;
    nlohmann::json hyperparameters = nlohmann::json::object();
    for (const auto& key : hyperparameters_) {
      if (trial.config.contains(key)) hyperparameters[key] = trial.config[key];
    }
    trials.push_back({{"rank", entry.rank ? nlohmann::json(entry.rank) : nlohmann::json()},
                      {"trial", trial.number},
                      {"state", state_name(trial.state)},
                      {"best_on", entry.best_on},
                      {"normalized_mae", entry.normalized_mae ? nlohmann::json(*entry.normalized_mae) : nlohmann::json()},
                      {"test_mae", test},
                      {"best_validation_score", trial.best_score ? nlohmann::json(*trial.best_score) : nlohmann::json()},
                      {"epochs_done", trial.epochs_done},
                      {"hyperparameters", hyperparameters},
                      {"run_dir", trial.run_dir},
                      {"config_file", trial.run_dir.empty() ? "" : trial_config_file(trial.run_dir)},
                      {"message", trial.message}});
  }
  return {{"targets", targets_}, {"trials", trials}};
}

std::string Leaderboard::csv() const {
  std::ostringstream out;
  out << "rank,trial,state,epochs_done,best_on,normalized_mae";
  for (const auto& target : targets_) out << ',' << data::csv_field(target + "_mae");
  for (const auto& key : hyperparameters_) out << ',' << data::csv_field(key);
  out << ",run_dir\n";
  for (const auto& entry : entries_) {
    const auto& trial = entry.trial;
    out << (entry.rank ? std::to_string(entry.rank) : "") << ',' << trial.number << ',' << state_name(trial.state) << ','
        << trial.epochs_done << ',' << entry.best_on.size() << ','
        << (entry.normalized_mae ? format_number(*entry.normalized_mae, 17) : "");
    for (const auto& target : targets_) {
      const auto* error = error_on(trial, target);
      out << ',' << (error ? format_number(error->mae, 17) : "");
    }
    for (const auto& key : hyperparameters_) {
      out << ',' << (trial.config.contains(key) ? data::csv_field(trial.config[key].is_number_float()
                                                                 ? format_number(trial.config[key].get<double>(), 17)
                                                                 : format_value(trial.config[key]))
                                                : "");
    }
    out << ',' << data::csv_field(trial.run_dir) << '\n';
  }
  return out.str();
}

}  // namespace e3::search
