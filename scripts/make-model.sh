#!/usr/bin/env bash
# Makes models/NAME, a model that comes with e3cpp, from a finished run: the files eval and
# predict read (best.pt: the weights of the best validation, the weight average where the run
# kept one; config.json, split.json, domain.json), the run's metrics.csv and learning curve,
# and test.json (`e3cpp eval --json --mean-predictor` on the run's test split); then prints the
# MAE on the embedded sample's molecules of the test split and the directory's size, which the
# model card (models/NAME/README.md, written by hand) states beside test.json's figures.
#
#   scripts/make-model.sh NAME RUN
#
# Environment: THREADS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { sed -n 2,10p "$0" >&2; exit 2; }
name=$1 run=$2
out=models/$name
threads=${THREADS:-2}
mkdir -p "$out"
for file in best.pt config.json split.json domain.json metrics.csv learning_curve.svg; do
  cp "$run/$file" "$out/$file.tmp"
  mv "$out/$file.tmp" "$out/$file"
done
./build/e3cpp eval "$out" --json --mean-predictor --threads "$threads" >"$out/test.json.tmp"
mv "$out/test.json.tmp" "$out/test.json"
echo "test split: $(cat "$out/test.json")"
echo "embedded sample's test molecules: $(./build/e3cpp eval "$out" --data data/qm9-sample/qm9-sample.extxyz.gz --subset --json --threads "$threads")"
du -sh "$out"
