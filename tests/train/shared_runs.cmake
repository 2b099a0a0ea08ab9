# Trains the small runs that the command-line tests share: a CTest fixture (SharedRuns.Train),
# so that they are trained once per test run, not once per test process.
#   cmake -DE3CPP=<e3cpp binary> -DSOURCE=<source dir> -DOUT=<directory> -P shared_runs.cmake
# OUT/lnet: an L-Net on mu, one epoch; OUT/mlpnet: the multi-target network on every target,
# two epochs; OUT/dipole: the L-Net on mu with the dipole readout, one epoch. Each run's output
# goes to OUT/<name>.log.

file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
set(sample ${SOURCE}/data/qm9-sample/qm9-sample.extxyz.gz)

function(train name)
  execute_process(COMMAND ${E3CPP} train --data ${sample} --out ${OUT}/${name} --threads 2 ${ARGN}
                  OUTPUT_FILE ${OUT}/${name}.log ERROR_FILE ${OUT}/${name}.err RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    file(READ ${OUT}/${name}.err error)
    message(FATAL_ERROR "training the shared run ${name} failed (${status}): ${error}")
  endif()
endfunction()

train(lnet --config ${SOURCE}/tests/train/files/small-lnet.json --target mu --epochs 1)
train(mlpnet --config ${SOURCE}/tests/train/files/small-mlpnet.json --targets all --epochs 2)
train(dipole --config ${SOURCE}/tests/train/files/small-lnet.json --target mu --readout dipole --epochs 1)
# Marks the runs complete: the tests that read them skip, naming this fixture, without it.
file(WRITE ${OUT}/complete "lnet mlpnet dipole\n")
