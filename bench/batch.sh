#!/usr/bin/env bash
# odr batch throughput (bench/README.md, "odr batch"): GROUPS groups of 50 points, a Gaussian peak on a
# baseline (4 parameters), on 1 core and 2 cores (taskset), and a Python loop over scipy.odr on the
# first SCIPY_GROUPS groups of the same file; peak memory at GROUPS/10 and GROUPS groups (flat when
# streaming). The tool as the linux-x64 package ships it (Native AOT); --jit for the portable one.
# ROUNDS (default 3) rounds alternate the three, and the ratios are those of the medians.
# Usage: [ROUNDS=N] bench/batch.sh [--jit] [GROUPS] [SCIPY_GROUPS]
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
# The two halves of the groups, for two single-threaded processes side by side (what the two cores
# give work that shares nothing: the ceiling for two threads in one process).
half0=$work/peaks-$groups-half0.csv
half1=$work/peaks-$groups-half1.csv
if [ ! -f "$half1" ]; then
  head -n $((groups / 2 * 50 + 1)) "$data" >"$half0"
  (head -n 1 "$data"; tail -n +$((groups / 2 * 50 + 2)) "$data") >"$half1"
fi
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
# ROUNDS rounds of (1 core, 2 cores, the scipy loop), so that each ratio compares runs of the same
# minutes: on a shared VM either side's speed moves by 20-35 % from minute to minute. Every
# single-threaded run (odr batch --threads 1 and the scipy loop) is made once on each core and the two
# throughputs averaged: the two vCPUs of this VM are at times 45 % apart (bench/README.md, "odr batch"),
# and a two-core run has one of each. The order of the cores alternates from round to round. The
# ratios are those of the medians.
rounds=${ROUNDS:-3}
: >"$work/rounds"
scipy_on() { # core: groups/s and groups per CPU-second of the loop pinned to that core
  taskset -c "$1" /usr/bin/python3 bench/batch_scipy.py "$data" "$scipy_groups" "$work/scipy.csv" | tee "$work/scipy.txt" >&2
  awk '/groups\/s/ { for (i = 1; i <= NF; i++) { if ($i == "groups/s") s = $(i - 1); if ($i == "per" && $(i + 1) ~ /^CPU-second/) c = $(i - 2) } print s, c }' "$work/scipy.txt" | head -n 1
}
for round in $(seq "$rounds"); do
  echo "round $round of $rounds"
  first=$(((round + 1) % 2)); second=$((1 - first))
  run "odr batch, 1 core (core $first, --threads 1)" "$first" 1 "$data" "$work/one.csv"; read -r n1a s1a c1a <"$work/last"
  run "odr batch, 1 core (core $second, --threads 1)" "$second" 1 "$data" "$work/one.csv"; read -r n1b s1b c1b <"$work/last"
  run "odr batch, 2 cores (--threads 2)" 0,1 2 "$data" "$work/two.csv"; read -r n2 s2 c2 <"$work/last"
  t0=$(date +%s.%N)
  taskset -c 0 $odr batch "$half0" "${options[@]}" --threads 1 --output "$work/half0.csv" >/dev/null &
  taskset -c 1 $odr batch "$half1" "${options[@]}" --threads 1 --output "$work/half1.csv" >/dev/null
  wait
  t1=$(date +%s.%N)
  sp=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  awk -v g="$groups" -v s="$sp" 'BEGIN { printf "%-40s %7d groups in %6.2f s = %7.0f groups/s\n", "2 processes, half the groups each", g, s, g / s }'
  read -r pya pycpua < <(scipy_on "$first")
  read -r pyb pycpub < <(scipy_on "$second")
  echo "$n1a $s1a $c1a $n1b $s1b $c1b $n2 $s2 $pya $pycpua $pyb $pycpub $sp" >>"$work/rounds"
done
run "odr batch, 2 cores, 1/10 of the groups" 0,1 2 "$small" "$work/small.csv"
cmp -s "$work/one.csv" "$work/two.csv" && echo "1-core and 2-core outputs identical" || echo "WARNING: 1-core and 2-core outputs differ"
/usr/bin/python3 - "$work/rounds" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
# One core: the mean of the two cores' throughputs (groups/s), as a two-core run has one of each.
one = statistics.median((r[0] / r[1] + r[3] / r[4]) / 2 for r in rows)
two = statistics.median(r[6] / r[7] for r in rows)
one_cpu = statistics.median((r[0] / r[2] + r[3] / r[5]) / 2 for r in rows)
py = statistics.median((r[8] + r[10]) / 2 for r in rows)
py_cpu = statistics.median((r[9] + r[11]) / 2 for r in rows)
procs = statistics.median(r[6] / r[12] for r in rows)
for k, r in enumerate(rows, 1):
    print(f"round {k}: 1 core {r[0] / r[1]:.0f} and {r[3] / r[4]:.0f} groups/s (the two cores), 2 cores {r[6] / r[7]:.0f}, 2 processes {r[6] / r[12]:.0f}, scipy loop {r[8]:.0f} and {r[10]:.0f}")
print(f"medians of {len(rows)} rounds: 1 core (mean of the two cores) {one:.0f} groups/s, 2 cores {two:.0f}, scipy.odr loop (mean of the two cores) {py:.0f}")
print(f"wall clock: 2 cores / 1 core {two / one:.2f}x; 1 core / scipy loop {one / py:.1f}x; 2 cores / scipy loop {two / py:.1f}x")
print(f"two single-threaded processes on the halves (the VM's ceiling for two cores): {procs:.0f} groups/s, {procs / one:.2f}x one core; 2 threads / 2 processes {two / procs:.2f}")
print(f"per CPU-second: odr batch 1 core / scipy loop {one_cpu / py_cpu:.1f}x")
PY
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
