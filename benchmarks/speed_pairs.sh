#!/usr/bin/env bash
# The default kd_experiment, the code of a base commit against this checkout, side by side on one machine: the two
# alternate (base first), PAIRS pairs, each in a fresh output folder (nothing reused), float32 pinned in both (what
# --precision auto measures and chooses on a CPU without a clear bfloat16 gain; pinning keeps the once-per-machine timing
# out of both). Prints each run's wall seconds and the medians' ratio.
#
#   bash benchmarks/speed_pairs.sh [BASE=910d757] [PAIRS=2] > benchmarks/results/speed/pairs.md
set -euo pipefail
base=${1:-910d757}; pairs=${2:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
old=$(mktemp -d); out=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$old/code" >/dev/null 2>&1 || true; rm -rf "$old" "$out"' EXIT
git -C "$here" worktree add -q "$old/code" "$base"
run() { # $1: code folder, $2: output folder; prints wall seconds
  local start=$(date +%s.%N)
  (cd "$out" && PYTHONPATH="$1" python -c "import sys; from kd_nb.commands import kd_experiment; sys.exit(kd_experiment())" \
      --precision float32 --out "$2" > "$2.log" 2>&1)
  python -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)"
}
echo "# The default kd_experiment: $base against $(git -C "$here" rev-parse --short HEAD), side by side"
echo
echo "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; bfloat16 flags: $(grep -o 'amx_bf16\|avx512_bf16' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "started $(date -u '+%F %T') UTC; base and this code alternate, base first"
echo
echo "| pair | $base, s | this code, s |"
echo "|---|---:|---:|"
olds=(); news=()
for i in $(seq 1 "$pairs"); do
  o=$(run "$old/code" "$out/old$i"); n=$(run "$here" "$out/new$i")
  olds+=("$o"); news+=("$n"); echo "| $i | $o | $n |"
  grep -h "Distilled minus scratch" "$out/old$i.log" "$out/new$i.log" | sed 's/^/    /' >&2
done
python - "${olds[*]}" "${news[*]}" <<'PY'
import statistics, sys
old, new = ([float(v) for v in a.split()] for a in sys.argv[1:])
mo, mn = statistics.median(old), statistics.median(new)
print(f"\nmedians: {mo:.1f} s against {mn:.1f} s: this code takes {mn / mo:.2f}x the base's wall time")
PY
