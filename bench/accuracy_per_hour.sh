#!/usr/bin/env bash
# Accuracy per hour: trains a preset on mu over the default split of the shared QM9
# reconstruction (80% / 10% / 10%, seed 0) for a wall-clock budget at 2 threads, and reports
# the test MAE after each checkpoint time. The run is trained in segments (e3cpp train
# --max-minutes, then --resume --max-minutes for the next segment), which continue exactly as one
# run would; after each segment `e3cpp eval --checkpoint last --split test` evaluates the weights
# used for prediction (the EMA where the preset keeps one). The minutes are those of the train
# commands' training loops (validations and checkpoints included; reading the data and
# evaluating the test split not).
#
#   bench/accuracy_per_hour.sh NAME CONFIG [MINUTES...] [-- TRAIN OPTION...]
#   bench/accuracy_per_hour.sh dipole configs/l1net-dipole.json 15 20 30 60
#   bench/accuracy_per_hour.sh scalar configs/l1net-fast.json 15 20 -- --validate-every '20 min'
#
# Output: runs/accuracy-per-hour/NAME (the run; `e3cpp compare` draws its validation curve
# against minutes) and one line per checkpoint: name, minutes, test MAE and RMSE in D, and the
# epoch and batch the run had reached.
# Environment: DATA (default ../shared/qm9/qm9.extxyz.gz), THREADS (2), OUT (runs/accuracy-per-hour).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,19p "$0" >&2; exit 2; }
name=$1 config=$2
shift 2
minutes=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do minutes+=("$1"); shift; done
[ $# -gt 0 ] && shift
options=("$@")
[ ${#minutes[@]} -gt 0 ] || minutes=(15 30 60)
data=${DATA:-../shared/qm9/qm9.extxyz.gz}
threads=${THREADS:-2}
out=${OUT:-runs/accuracy-per-hour}
run="$out/$name"
mkdir -p "$out"
rm -rf "$run"
echo "# $(lscpu | grep 'Model name' | sed 's/ \+/ /g'); $threads threads; $config ${options[*]}"
printf '%-12s %8s %12s %12s   %s\n' setting minutes "test MAE" "test RMSE" "where the run was"
done_minutes=0
for total in "${minutes[@]}"; do
  segment=$(awk -v a="$total" -v b="$done_minutes" 'BEGIN { print a - b }')
  if [ "$done_minutes" = 0 ]; then
    ./build/e3cpp train --config "$config" --targets mu --data "$data" --threads "$threads" --out "$run" \
      --max-minutes "$segment" "${options[@]}" >>"$run.log" 2>&1
  else
    ./build/e3cpp train --resume "$run" --threads "$threads" --max-minutes "$segment" >>"$run.log" 2>&1
  fi
  # "mu on the test split of DATA: N molecules, MAE X D, RMSE Y D"
  result=$(./build/e3cpp eval "$run" --checkpoint last --split test --threads "$threads")
  mae=$(sed -n 's/.*MAE \([^ ]*\) D.*/\1/p' <<<"$result")
  rmse=$(sed -n 's/.*RMSE \([^ ]*\) D.*/\1/p' <<<"$result")
  reached=$(grep -Eo 'at epoch [0-9]+, batch [0-9]+|finished [0-9]+ epochs' "$run.log" | tail -n 1)
  printf '%-12s %8s %12s %12s   %s\n' "$name" "$total" "$mae" "$rmse" "$reached"
  done_minutes=$total
done
