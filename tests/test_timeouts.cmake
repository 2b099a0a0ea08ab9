# The tests that usually take longer than 5 seconds: each gets a timeout of 3 times its usual
# time (at least the 20 s every other test gets from e3_add_test) and the label `slow`, so that
# `ctest -LE slow` runs the fast ones. ctest reads this file after GoogleTest's discovered
# tests (a TEST_INCLUDE_FILES entry, tests/CMakeLists.txt), so these settings override the
# executable's; a name that no longer exists is ignored by ctest, and the test
# TestTimeouts.EveryEntryNamesATest fails on it.
#
# The usual times: the longest of `ctest --test-dir build -j2` runs on 2 cores (Intel Xeon,
# family 6 model 207, and AMD EPYC, family 26 model 2, on a day its machine ran about twice as
# slow as usual; build/Testing/Temporary/LastTest.log).

# e3_slow_test(NAME SECONDS LABEL): NAME usually takes SECONDS; LABEL is its executable's label.
function(e3_slow_test name seconds label)
  math(EXPR timeout "(3 * ${seconds} + 4) / 5 * 5")  # 3x, rounded up to 5 s
  if(timeout LESS 20)
    set(timeout 20)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${timeout} LABELS "${label};slow")
endfunction()

e3_slow_test(Trainer.MultiTargetTrainingLowersTheErrorOfEveryTarget 36 unit)
e3_slow_test(Trainer.ResumedRunWithEveryFeatureContinuesExactly 28 unit)
e3_slow_test(Trainer.ResumedRunWithPhysicalReadoutsContinuesExactly 14 unit)
e3_slow_test(Trainer.TrainingLowersTheValidationError 7 unit)
e3_slow_test(TrainRun.KilledRunResumesExactly 24 cli)
e3_slow_test(TrainRun.CtrlCStopsAfterTheBatchAndSaves 14 cli)
e3_slow_test(TrainCli.BadInputGivesOneLineErrors 24 cli)
e3_slow_test(TrainCli.EvalErrorsAreThoseOfPredictsValues 7 cli)
e3_slow_test(TrainCli.PredictStreamsInWindowsWithTheValuesEvalGives 6 cli)
e3_slow_test(TrainCli.PredictWithTwoProcessesEqualsOneProcess 20 cli)
e3_slow_test(TrainCli.ShardsCoverEveryMoleculeOnceInOrder 11 cli)
e3_slow_test(Ensemble.TwoMembersGiveTheirMeanAndStandardDeviation 26 cli)
e3_slow_test(Cli.EveryCommandHasHelp 13 cli)
e3_slow_test(CompareCli.BadInputGivesOneLineErrors 11 cli)
e3_slow_test(ReportCli.TableOfTwoRunsMatchesTheirEvaluation 7 cli)
e3_slow_test(HpsearchTrain.FourTrialsOnTheSampleEndToEnd 11 search)
e3_slow_test(DistributedTraining.AnInterruptedRunResumesExactlyWithAsManyRanksAndCloselyWithFewer 21 dist)
e3_slow_test(DistributedTraining.ARankKilledDuringAStepStopsTheOtherCleanly 9 dist)
e3_slow_test(DistributedTraining.ARankKilledDuringAValidationStopsTheOtherCleanly 12 dist)
e3_slow_test(DistributedTraining.ARankKilledWhileRankZeroWritesACheckpointLeavesTheLastOneWhole 10 dist)
e3_slow_test(DataParallelFaults.ARankThatIsAliveButElsewhereIsNamed 8 dist)
e3_slow_test(HpsearchCli.AWorkerCutOffFromItsDatabaseStopsItsTrialBeforeAnotherMayTakeIt 12 search)
e3_slow_test(PostgresqlHpsearch.AWorkerCutOffFromTheStudyStopsItsTrialBeforeAnotherTakesItOver 15 search)
e3_slow_test(HpsearchCli.ReportsTheLeaderboard 11 search)
e3_slow_test(HpsearchCli.TheStudyResumesAfterEveryWorkerIsKilled 7 search)
e3_slow_test(HpsearchCli.AStudyGrowsAndKeepsItsDefinition 10 search)
e3_slow_test(HpsearchCli.BadInputIsAOneLineError 11 search)
e3_slow_test(HpsearchCli.CtrlCSavesTheTrialsAndTheSameCommandResumes 8 search)
e3_slow_test(Ensemble.TwoProcessesTrainTheMembersThatOneProcessTrainsInTurn 26 cli)
e3_slow_test(DistributedTraining.TwoRanksTakeTheStepsOfOneProcessOnTheWholeBatch 10 dist)
e3_slow_test(Cli.BadArgumentsGiveOneLineErrors 9 cli)
e3_slow_test(ShippedModels.PredictByNameEqualsPredictByPath 8 cli)
e3_slow_test(PostgresqlHpsearch.TheWorkersCommandLinesDoNotShowThePassword 8 search)

# Alone (RUN_SERIAL): the longest in-process training. Before the tests waited passively
# (E3_TEST_ENVIRONMENT, tests/CMakeLists.txt) it took 23-40 s, and twice a small training test
# beside it stalled past its timeout; with passive waiting it takes about 5 s, and alone it
# cannot slow another.
set_tests_properties(Trainer.MultiTargetTrainingLowersTheErrorOfEveryTarget PROPERTIES RUN_SERIAL TRUE)
