#!/usr/bin/env bash
# The README's performance table: `e3cpp bench` for the L-Net presets (Table 3.1) at each
# thread count, one markdown row per run, with the CPU and its GEMM peak measured in each run.
#
#   bench/performance_table.sh [THREADS...]      (default: 1 2)
# Environment: PRECISIONS (default "float32"; e.g. "float32 bf16-mixed"), REFERENCE_STEPS
# (default 1: one training step of the reference convolution per run; 0 skips it), STEPS (10).
set -euo pipefail
cd "$(dirname "$0")/.."
threads=("$@")
[ ${#threads[@]} -gt 0 ] || threads=(1 2)
# One number of the JSON `e3cpp bench --json` prints (one key per line); "null" when absent.
field() { sed -n "s/^ *\"$1\": \([^,]*\),\{0,1\}$/\1/p" <<<"$2" | head -1; }
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1); \`e3cpp bench --config configs/PRESET.json --threads T --precision P\`"
echo
echo "| preset | threads | precision | train mol/s | infer mol/s | train GFLOP/s | of float32 peak | float32 peak (GFLOP/s) | reference train mol/s | peak RSS (MiB) |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
for preset in l0net l1net l2net; do
  for t in "${threads[@]}"; do
    for precision in ${PRECISIONS:-float32}; do
      json=$(./build/e3cpp bench --config "configs/$preset.json" --threads "$t" --precision "$precision" \
        --steps "${STEPS:-10}" --reference-steps "${REFERENCE_STEPS:-1}" --json)
      peak=$(sed -n '/"gemm_peak_gflops"/,/}/p' <<<"$json" | sed -n 's/^ *"float32": \([^,]*\),\{0,1\}$/\1/p')
      printf '| %s | %s | %s | %.1f | %.1f | %.1f | %.0f%% | %.0f | %s | %.0f |\n' "$preset" "$t" \
        "$(field precision "$json" | tr -d '"')" "$(field train_molecules_per_s "$json")" \
        "$(field infer_molecules_per_s "$json")" "$(field train_gflops "$json")" \
        "$(awk "BEGIN { print 100 * $(field train_fraction_of_peak "$json") }")" "$peak" \
        "$(field reference_train_molecules_per_s "$json" | awk '$1 == "null" { print "-"; next } { printf "%.2f", $1 }')" \
        "$(field peak_rss_mib "$json")"
    done
  done
done
