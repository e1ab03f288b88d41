#!/usr/bin/env bash
# odr batch throughput (bench/README.md, "odr batch"): GROUPS groups of 50 points, a Gaussian peak on a
# baseline (4 parameters), on 1 core and 2 cores (taskset), and a Python loop over scipy.odr on the
# first SCIPY_GROUPS groups of the same file; peak memory at GROUPS/10 and GROUPS groups (flat when
# streaming). The tool as the linux-x64 package ships it (Native AOT); --jit for the portable one.
# Usage: bench/batch.sh [--jit] [GROUPS] [SCIPY_GROUPS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/ensure_python_module.sh
ensure_python_module scipy.odr python3-scipy
jit=0
if [ "${1:-}" = "--jit" ]; then jit=1; shift; fi
groups=${1:-100000}
scipy_groups=${2:-5000}
work=${ODR_BENCH_WORK:-/tmp/odr-batch-bench}
mkdir -p "$work"
ARTIFACTS=${ODR_BENCH_ARTIFACTS:-/tmp/perf-artifacts-release}
if [ $jit = 1 ]; then
  # The portable package's tool (JIT).
  dotnet build Odr.Cli/Odr.Cli.csproj -c Release --artifacts-path "$ARTIFACTS" -nologo -v q >&2
  odr="dotnet $ARTIFACTS/bin/Odr.Cli/release/Odr.Cli.dll"
else
  # What the linux-x64 package ships: Native AOT, x86-64-v3 (the csproj's OdrToolRids settings).
  dotnet publish Odr.Cli/Odr.Cli.csproj -c Release -r linux-x64 -p:OdrToolRids=linux-x64 --artifacts-path "$ARTIFACTS-aot" \
    -o "$ARTIFACTS-aot/out" -nologo -v q >&2
  odr="$ARTIFACTS-aot/out/Odr.Cli"
fi
data=$work/peaks-$groups.csv
[ -f "$data" ] || /usr/bin/python3 bench/batch_data.py "$data" "$groups"
small=$work/peaks-$((groups / 10)).csv
[ -f "$small" ] || head -n $((groups / 10 * 50 + 1)) "$data" >"$small"
options=(--group pixel --x x --y y --model 'B0 + B1*exp(-((x-B2)/B3)^2)' --beta0=0.5,4,10,1.5 --progress 0)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # label cores threads data output
  local label=$1 cores=$2 threads=$3 file=$4 out=$5
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M %U %S" -o "$work/rss" taskset -c "$cores" $odr batch "$file" "${options[@]}" --threads "$threads" --output "$out" >/dev/null
  t1=$(date +%s.%N)
  local n=$(($(wc -l <"$out") - 1))
  read -r rss user sys <"$work/rss"
  awk -v l="$label" -v n="$n" -v a="$t0" -v b="$t1" -v rss="$rss" -v cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
    'BEGIN { printf "%-40s %7d groups in %6.2f s = %7.0f groups/s (CPU %6.2f s = %7.0f groups per CPU-second), peak RSS %4.0f MB\n", l, n, b - a, n / (b - a), cpu, n / cpu, rss / 1024 }'
  echo "$n $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >"$work/last"
}
run "odr batch, 1 core (--threads 1)" 0 1 "$data" "$work/one.csv"; read -r n1 s1 c1 <"$work/last"
run "odr batch, 2 cores (--threads 2)" 0,1 2 "$data" "$work/two.csv"; read -r n2 s2 c2 <"$work/last"
run "odr batch, 2 cores, 1/10 of the groups" 0,1 2 "$small" "$work/small.csv"
cmp -s "$work/one.csv" "$work/two.csv" && echo "1-core and 2-core outputs identical" || echo "WARNING: 1-core and 2-core outputs differ"
/usr/bin/python3 bench/batch_scipy.py "$data" "$scipy_groups" "$work/scipy.csv" | tee "$work/scipy.txt"
py=$(awk '/groups\/s/ { for (i = 1; i <= NF; i++) if ($i == "groups/s") print $(i - 1) }' "$work/scipy.txt" | head -n 1)
pycpu=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "per" && $(i + 1) ~ /^CPU-second/) print $(i - 2) }' "$work/scipy.txt" | head -n 1)
awk -v n1="$n1" -v s1="$s1" -v c1="$c1" -v n2="$n2" -v s2="$s2" -v py="$py" -v pycpu="$pycpu" 'BEGIN {
  printf "wall clock: 2 cores / 1 core %.2fx; 1 core / scipy loop %.1fx; 2 cores / scipy loop %.1fx\n", (n2 / s2) / (n1 / s1), (n1 / s1) / py, (n2 / s2) / py
  printf "per CPU-second (fair on a loaded machine): odr batch 1 core / scipy loop %.1fx\n", (n1 / c1) / pycpu }'
/usr/bin/python3 - "$work/scipy.csv" "$work/one.csv" <<'PY'
import csv, sys
ref = {r["pixel"]: r for r in csv.DictReader(open(sys.argv[1]))}
worst = 0.0
for r in csv.DictReader(open(sys.argv[2])):
    if r["pixel"] in ref:
        for c in ("B0", "B1", "B2", "B3"):
            a, b = float(r[c]), float(ref[r["pixel"]][c])
            worst = max(worst, abs(a - b) / max(abs(b), 1e-300))
print(f"largest relative difference of the estimates from scipy's over {len(ref)} groups: {worst:.1e}")
PY
