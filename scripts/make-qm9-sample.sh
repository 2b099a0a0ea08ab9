#!/usr/bin/env bash
# Makes data/qm9-sample/qm9-sample.extxyz.gz, the embedded default data set: every 20th
# frame (frames 0, 20, 40, ...) of the shared QM9 reconstruction, copied verbatim.
# Deterministic: the same input gives the same bytes (gzip -n stores no name or time).
# Uses only Debian's base tools (gzip, awk).
#
#   scripts/make-qm9-sample.sh [SOURCE.extxyz.gz] [OUTPUT.extxyz.gz]   (paths relative to the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
source=${1:-../shared/qm9/qm9.extxyz.gz}
output=${2:-data/qm9-sample/qm9-sample.extxyz.gz}
every=20

mkdir -p "$(dirname "$output")"
tmp=$(mktemp "$(dirname "$output")/.qm9-sample.XXXXXX")
trap 'rm -f "$tmp"' EXIT

# An extended-XYZ frame is an atom-count line, a comment line and that many atom lines;
# awk walks the frames and prints those whose index is a multiple of $every.
gzip -dc "$source" | awk -v every="$every" '
  remaining == 0 {
    if ($0 ~ /^[ \t]*$/) next
    if ($1 !~ /^[0-9]+$/) { print "make-qm9-sample: line " NR ": expected an atom count, found: " $0 > "/dev/stderr"; exit 1 }
    keep = (frame % every == 0); frame++; remaining = $1 + 1
    if (keep) print
    next
  }
  { remaining--; if (keep) print }
  END {
    if (remaining != 0) { print "make-qm9-sample: truncated input (frame " frame - 1 ")" > "/dev/stderr"; exit 1 }
    printf "make-qm9-sample: %d of %d frames\n", int((frame + every - 1) / every), frame > "/dev/stderr"
  }' | gzip -9 -n >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$output"
trap - EXIT
