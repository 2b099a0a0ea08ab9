#!/usr/bin/env bash
# Training cost of L1Net against the radial cutoff (max_radius): bench_training at each cutoff,
# one line per cutoff with the mean atoms and edges per batch and the training step time per
# edge. With the fused KernelConv's reassociation (DESIGN.md) a step costs a*atoms + b*edges:
# stage 1 and 2 scale with the edges, stage 3 with the atoms; the batches hold the same
# molecules at every cutoff, so the step time is an affine function of the edges.
#
#   bench/cutoff_sweep.sh [THREADS [STEPS [CUTOFF...]]]     (default: 1 thread, 10 steps, 2 3 4 6 10 A)
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-1}
steps=${2:-10}
shift $(( $# < 2 ? $# : 2 ))
cutoffs=("$@")
[ ${#cutoffs[@]} -gt 0 ] || cutoffs=(2 3 4 6 10)
lscpu | grep 'Model name'
header=cutoff
for cutoff in "${cutoffs[@]}"; do
  output=$(./build/bench/bench_training --preset configs/l1net.json --steps "$steps" --threads "$threads" \
    --set max_radius="$cutoff")
  if [ -n "$header" ]; then printf '%-8s %s\n' "$header" "$(sed -n 3p <<<"$output")"; header=; fi
  printf '%-8s %s\n' "$cutoff" "$(sed -n 4p <<<"$output")"
done
