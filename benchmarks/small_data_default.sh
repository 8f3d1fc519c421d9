#!/usr/bin/env bash
# Issue 35's small-data target: the default command on three small real image sets, its summary (with the run's measured
# reason when the distilled student is not clearly ahead: `fidelity_text`) kept in benchmarks/results/small_data/<set>/.
# Deployment is left out (--no-deploy): it changes no accuracy. One run at a time.
#   bash benchmarks/small_data_default.sh
set -euo pipefail
cd "$(dirname "$0")/.."
keep() { mkdir -p "benchmarks/results/small_data/$1"; cp "$2"/results.json "$2"/results.md "$2"/*.png "benchmarks/results/small_data/$1/"; }
mkdir -p /tmp/small_data
[ -f /tmp/fashion_mnist.npz ] || python benchmarks/idx_to_npz.py /usr/share/datasets/fashion-mnist /tmp/fashion_mnist.npz
kd_experiment --n-train 1500 --no-deploy --out /tmp/small_data/embedded_1500 2>&1 | tee /tmp/small_data/embedded_1500.log
keep embedded_1500 /tmp/small_data/embedded_1500
python benchmarks/small_digits.py --epochs 40 --seeds 3 --out /tmp/small_data/digits 2>&1 | tee /tmp/small_data/digits.log
keep digits /tmp/small_data/digits/epochs40
kd_experiment --dataset /tmp/fashion_mnist.npz --n-train 10000 --no-deploy --out /tmp/small_data/fashion_10k 2>&1 | tee /tmp/small_data/fashion_10k.log
keep fashion_10k /tmp/small_data/fashion_10k
