#!/usr/bin/env bash
# Screening throughput: `e3cpp predict` of a run or shipped model over a molecule file, in one
# process with all threads and with `--nproc P` processes sharing them (each a shard of the
# input, merged into one output in input order), in one sitting; molecules/s of each (the
# whole command: reading the model and the file, predicting, merging), the ratio to the single
# process, and the largest difference between their printed values (float32 rounding: sums in
# another order with other thread counts and batch neighbours).
#
#   bench/screening.sh MODEL FILE [P...]
#   bench/screening.sh mu-l0net-hour ../shared/qm9/qm9.extxyz.gz 2
#
# MODEL is a shipped model's name (e3cpp models) or a run directory. Environment: THREADS
# (default: every CPU this process may use).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,12p "$0" >&2; exit 2; }
model=$1 file=$2
shift 2
processes=("$@")
[ ${#processes[@]} -gt 0 ] || processes=(2)
threads=${THREADS:-$(nproc)}
if [ -d "$model" ]; then source=("$model"); else source=(--model "$model"); fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "# $(lscpu | grep 'Model name' | sed 's/ \+/ /g'); $threads threads; ${source[*]} on $file"
printf '%-24s %10s %10s %14s %8s\n' setting molecules seconds "molecules/s" ratio
# One run with THREADS threads (per process) and more options: its seconds, from the command's
# start to its end.
timed() {
  local start end threads=$1
  shift
  start=$(date +%s.%N)
  ./build/e3cpp predict "${source[@]}" "$file" --threads "$threads" "$@" >"$out/table" 2>"$out/err"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}
single=$(timed "$threads")
molecules=$(($(wc -l <"$out/table") - 1))
cp "$out/table" "$out/single"
rate() { awk -v n="$molecules" -v s="$1" 'BEGIN { printf "%.1f", n / s }'; }
printf '%-24s %10d %10s %14s %8s\n' "1 process" "$molecules" "$single" "$(rate "$single")" "1.00"
for p in "${processes[@]}"; do
  seconds=$(timed "$(( threads / p > 0 ? threads / p : 1 ))" --nproc "$p")
  # The same rows: words equal, numbers within the rounding of float32 sums in another order
  # (one thread per process instead of all, other molecules in a batch): their largest difference.
  difference=$(paste "$out/single" "$out/table" | awk -F'\t' '
    { half = NF / 2
      for (i = 1; i <= half; ++i) {
        a = $i; b = $(i + half)
        if (a == b) continue
        if (a + 0 != a || b + 0 != b) { print "rows differ at line " NR ": " a " against " b; bad = 1; exit 1 }
        d = a - b; if (d < 0) d = -d; if (d > max) max = d
      } }
    END { if (!bad) printf "%.1e", max }') || { echo "--nproc $p: $difference" >&2; exit 1; }
  printf '%-24s %10d %10s %14s %8s   largest difference %s\n' "--nproc $p" "$molecules" "$seconds" "$(rate "$seconds")" \
    "$(awk -v a="$single" -v b="$seconds" 'BEGIN { printf "%.2f", a / b }')" "$difference"
done
