#pragma once
// e3cpp hpsearch as a user runs it, for the tests of both databases: commands, and checks on
// what the trials' run directories say happened.

#include <string>
#include <vector>

#include "e3/search/study_store.h"
#include "process.h"
#include "store_test.h"

namespace e3::testing {

/// The command line `e3cpp hpsearch ARGUMENTS`.
std::string hpsearch(const std::string& arguments);

/// The options of a study on synthetic learning curves of targets mu,alpha,gap at `where`, its
/// runs under `runs`, with a heartbeat timeout of 1 s.
std::string synthetic_study(const StudyLocation& where, const std::string& runs, int trials, int epochs,
                            double epoch_seconds);

/// The study's trials, read from its database.
std::vector<search::TrialRecord> study_trials(const StudyLocation& where);
/// The same while a command may still be creating the study: none until it exists.
std::vector<search::TrialRecord> trials_so_far(const StudyLocation& where);

/// The worker pids that the search command printed ("N workers (pid A B ...").
std::vector<int> worker_pids(const std::string& out);

/// The lines of the synthetic runner's events.log in `run_dir`.
std::vector<std::string> events(const std::string& run_dir);

/// The pids of the processes that wrote `lines` (a synthetic run's events), in turn: each
/// stretch of events of one process gives one entry, so that a trial that two processes ran at
/// once shows one of them twice.
std::vector<std::string> processes_in_turn(const std::vector<std::string>& lines);

/// Checks from the trial's events that it trained each of its `epochs` epochs once and in order
/// (across resumptions: a resumed run goes on after the epoch its checkpoint holds), that its
/// validations cover every epoch, and that its test errors are those of the synthetic curves.
void expect_trained_once(const search::TrialRecord& trial, int64_t epochs, const StudyLocation& where);

/// Two worker processes share a study: every trial runs once, by one process, to the end.
void two_workers_never_run_the_same_trial(const StudyLocation& where, const std::string& dir);

}  // namespace e3::testing
