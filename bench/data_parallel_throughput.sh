#!/usr/bin/env bash
# Training throughput of one model with 1 process x 1 thread, 1 process x 2 threads and
# 2 processes x 1 thread (e3cpp train --nproc 2) on this machine, and the scaling efficiency
# of each two-core way against twice the one-core throughput. The same run (L1Net on mu, a
# 1,600-molecule training split, batches of 16: 100 steps) three times; the throughput is the
# training molecules per second of the run's validation record (metrics.csv, validation not
# counted).
#   bench/data_parallel_throughput.sh [CONFIG] [DATA]
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-configs/l1net.json}
data=${2:-data/qm9-sample/qm9-sample.extxyz.gz}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
train() {
  ./build/e3cpp train --config "$config" --targets mu --data "$data" --split 1600,100,0 --epochs 1 --out "$out/$1" "${@:2}" >/dev/null
  # molecules_per_second is the next-to-last column of metrics.csv
  tail -n 1 "$out/$1/metrics.csv" | awk -F, '{print $(NF-1)}'
}
one=$(train one --threads 1)
threads=$(train threads --threads 2)
ranks=$(train ranks --nproc 2)
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1); $config on $data"
printf '%-26s %12s %12s\n' "" "mol/s" "efficiency"
printf '%-26s %12.1f %12s\n' "1 process x 1 thread" "$one" "-"
printf '%-26s %12.1f %11.0f%%\n' "1 process x 2 threads" "$threads" "$(awk "BEGIN { print 100 * $threads / (2 * $one) }")"
printf '%-26s %12.1f %11.0f%%\n' "2 processes x 1 thread" "$ranks" "$(awk "BEGIN { print 100 * $ranks / (2 * $one) }")"
