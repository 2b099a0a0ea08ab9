#!/usr/bin/env bash
# Training an ensemble one member after another in one process with every thread, against
# `--nproc P` processes that each train every P-th member with THREADS / P threads, in one
# sitting: the seconds of each whole command (reading the data in each process included), their
# ratio, and each ensemble's test MAE (`e3cpp eval`).
#
#   bench/ensemble_training.sh CONFIG K [P] [-- TRAIN OPTION...]
#   bench/ensemble_training.sh configs/l0net-hour.json 4 2 -- --epochs 2
#
# Environment: DATA (default data/qm9-sample/qm9-sample.extxyz.gz), TARGETS (mu), THREADS
# (default: every CPU this process may use), OUT (default: a temporary directory, removed).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,10p "$0" >&2; exit 2; }
config=$1 members=$2
shift 2
processes=2
if [ $# -gt 0 ] && [ "$1" != "--" ]; then processes=$1; shift; fi
[ $# -gt 0 ] && shift
options=("$@")
data=${DATA:-data/qm9-sample/qm9-sample.extxyz.gz}
targets=${TARGETS:-mu}
threads=${THREADS:-$(nproc)}
per_process=$(( threads / processes > 0 ? threads / processes : 1 ))
out=${OUT:-}
if [ -z "$out" ]; then out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi
mkdir -p "$out"
echo "# $(lscpu | grep 'Model name' | sed 's/ \+/ /g'); $threads threads; $config --targets $targets ${options[*]} on $data"
printf '%-34s %10s %8s   %s\n' setting seconds ratio "test MAE"
# Trains the ensemble `$1` with the remaining arguments; prints its seconds.
timed() {
  local run=$out/$1 start end
  shift
  rm -rf "$run"
  start=$(date +%s.%N)
  ./build/e3cpp train --config "$config" --targets "$targets" --data "$data" --ensemble "$members" --out "$run" \
    "${options[@]}" "$@" >"$run.log" 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}
test_mae() { ./build/e3cpp eval "$out/$1" --threads "$threads" | sed -n 's/.*MAE \([^ ]*\) .*/\1/p'; }
one=$(timed sequential --threads "$threads")
printf '%-34s %10s %8s   %s\n' "$members members, 1 process x $threads" "$one" 1.00 "$(test_mae sequential)"
shared=$(timed shared --nproc "$processes" --threads "$per_process")
ratio=$(awk -v a="$one" -v b="$shared" 'BEGIN { printf "%.2f", a / b }')
printf '%-34s %10s %8s   %s\n' "$members members, $processes processes x $per_process" "$shared" "$ratio" "$(test_mae shared)"
