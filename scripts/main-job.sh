#!/usr/bin/env bash
# The README's main job, on the embedded data: train an L1Net (Table 3.1) on the dipole
# moment for a few minutes, evaluate it on its test split, and predict molecules the run
# never saw, from an XYZ geometry and from SMILES (3D structures by RDKit); then the same SMILES
# with the dipole model that comes with e3cpp (models/, trained for an hour on all of QM9).
# The run goes to runs/main-job (replaced on every call).
set -euo pipefail
cd "$(dirname "$0")/.."
run=runs/main-job
rm -rf "$run"
./build/e3cpp train --config configs/l1net.json --target mu --data data/qm9-sample/qm9-sample.extxyz.gz \
  --out "$run" --epochs 3 --learning-rate 1e-3
./build/e3cpp eval "$run"
./build/e3cpp predict "$run" data/examples/ethanol.xyz
./build/e3cpp predict "$run" data/examples/molecules.smi
./build/e3cpp models
./build/e3cpp predict --model mu-l0net-hour data/examples/molecules.smi
