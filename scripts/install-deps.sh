#!/usr/bin/env bash
# Installs every system package e3cpp needs to build, test and run (Debian 12).
# Idempotent: packages already present are left alone; `apt-get update` runs only
# when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ccache git
  libtorch-dev              # LibTorch 1.13.1 (CPU), found by find_package(Torch)
  libgloo-dev               # the gloo headers c10d's ProcessGroupGloo.hpp includes (distributed training)
  libopenblas0-openmp       # fast BLAS for LibTorch's GEMMs (else the reference BLAS, ~10x slower)
  libopenblas-openmp-dev libblas-dev  # <cblas.h> and libblas.so for the fused kernels' float64 GEMMs
  libdnnl-dev               # oneDNN's sgemm for the fused kernels' float32 GEMMs (LibTorch links it too)
  libarchive-dev zlib1g-dev # QM9 archives (.tar.bz2) and gzip-compressed extended XYZ
  nlohmann-json3-dev        # configs and --json output
  libgtest-dev              # GoogleTest, run by CTest
  libsqlite3-dev            # hyperparameter studies in an SQLite file (e3cpp hpsearch)
  libpq-dev                 # hyperparameter studies on a PostgreSQL server, for workers on many machines
  postgresql                # the server the PostgreSQL study tests start on loopback (initdb, pg_ctl)
  librdkit-dev libboost-dev # RDKit (and the Boost headers its headers include): SMILES and SDF input, 3D structures
  xtb                       # GFN2-xTB geometry optimization of embedded structures (--optimize xtb)
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# LibTorch calls whatever libblas.so.3 the alternatives system selects; make sure it is OpenBLAS.
blas_link=/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3
if [ -e "$blas_link" ] && ! update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | grep -q "^Value: $blas_link"; then
  "${sudo_cmd[@]}" update-alternatives --set libblas.so.3-x86_64-linux-gnu "$blas_link" >/dev/null
fi
echo "install-deps: all dependencies present"
