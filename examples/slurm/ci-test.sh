#!/usr/bin/env bash
# Integration test on a real Slurm: installs Debian's slurm-wlm and munge, starts munged, slurmctld and
# slurmd on this machine with a generated minimal configuration, submits a 4-task job array of
# `odr batch --shard` (examples/slurm/odr-batch.sbatch), waits, merges with `odr merge`, and compares
# the merged results with a single-process `odr batch` byte for byte.
#
# Needs root (to install and start the daemons). Skips with exit 0 and a message when Slurm cannot be
# installed or started here. Set ODR_CLI to a built Odr.Cli.dll to skip building it.
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
skip() { echo "slurm test: SKIPPED: $*"; exit 0; }
fail() { echo "slurm test: FAILED: $*"; [ -n "${work:-}" ] && tail -n 20 "$work"/*.log 2>/dev/null; exit 1; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  [ "$(id -u)" -eq 0 ] || skip "slurm-wlm and munge are not installed and this is not root"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 slurm-wlm munge) >/dev/null 2>&1 \
    || skip "could not install slurm-wlm and munge"
fi
[ "$(id -u)" -eq 0 ] || skip "starting munged, slurmctld and slurmd needs root"

work=$(mktemp -d /tmp/odr-slurm.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  [ -n "${SLURM_CONF:-}" ] && scancel --quiet --user root 2>/dev/null
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT

# odr itself.
odr_dll=${ODR_CLI:-}
if [ -z "$odr_dll" ]; then
  for candidate in Odr.Cli/bin/Release/net10.0/Odr.Cli.dll Odr.Cli/bin/Debug/net10.0/Odr.Cli.dll; do
    [ -f "$candidate" ] && { odr_dll=$repo/$candidate; break; }
  done
fi
if [ -z "$odr_dll" ]; then
  dotnet build Odr.Cli/Odr.Cli.csproj -c Release -o "$work/odr" -v q >/dev/null || fail "could not build Odr.Cli"
  odr_dll=$work/odr/Odr.Cli.dll
fi
export ODR="dotnet $odr_dll"

# munge: a key of our own and a socket of our own, so a munged already running is left alone.
mkdir -p "$work/munge"
chown munge:munge "$work/munge" 2>/dev/null || true
chmod 700 "$work/munge"
mungekey --create --keyfile "$work/munge/munge.key" --force >/dev/null 2>&1 || dd if=/dev/urandom of="$work/munge/munge.key" bs=1 count=128 2>/dev/null
chown munge:munge "$work/munge/munge.key" 2>/dev/null || true
chmod 400 "$work/munge/munge.key"
socket=$work/munge/munge.socket
runuser -u munge -- munged --key-file "$work/munge/munge.key" --socket "$socket" --pid-file "$work/munge/munged.pid" \
  --log-file "$work/munge.log" --seed-file "$work/munge/seed" --force 2>>"$work/munge.log" \
  || munged --key-file "$work/munge/munge.key" --socket "$socket" --pid-file "$work/munge/munged.pid" \
       --log-file "$work/munge.log" --seed-file "$work/munge/seed" --force 2>>"$work/munge.log" \
  || skip "munged did not start: $(tail -n 2 "$work/munge.log" | tr '\n' ' ')"
pids+=("$(cat "$work/munge/munged.pid")")

# A one-node cluster on localhost.
host=$(hostname -s)
cpus=$(nproc)
port=$((20000 + RANDOM % 20000))
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF=$work/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=odrci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=10 State=UP OverSubscribe=FORCE:4
CONF
touch "$work/cgroup.conf"
slurmctld -i -f "$SLURM_CONF" >>"$work/slurmctld.log" 2>&1 || skip "slurmctld did not start: $(tail -n 2 "$work/slurmctld.log" | tr '\n' ' ')"
slurmd -f "$SLURM_CONF" >>"$work/slurmd.log" 2>&1 || skip "slurmd did not start: $(tail -n 2 "$work/slurmd.log" | tr '\n' ' ')"
sleep 1
[ -f "$work/slurmctld.pid" ] && pids+=("$(cat "$work/slurmctld.pid")")
[ -f "$work/slurmd.pid" ] && pids+=("$(cat "$work/slurmd.pid")")
for _ in $(seq 1 30); do
  state=$(sinfo -h -o %t 2>/dev/null | head -n 1)
  case "$state" in idle*|mix*|alloc*) break ;; esac
  sleep 1
done
case "$state" in idle*|mix*|alloc*) ;; *) skip "the Slurm node did not come up (state '${state:-none}')" ;; esac

# Data: 400 groups of 30 points, a Gaussian peak on a baseline.
/usr/bin/env python3 - "$work/peaks.csv" <<'PY' || fail "could not write the data"
import math, random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    f.write("pixel,x,y\n")
    for g in range(400):
        a, c, w = 4 + random.random(), 9 + 2 * random.random(), 1.2 + 0.6 * random.random()
        for i in range(30):
            x = 0.7 * i
            f.write(f"{g},{x!r},{0.3 + a * math.exp(-((x - c) / w) ** 2) + random.gauss(0, 0.05)!r}\n")
PY
options=(--group pixel --x x --y y --model 'B0 + B1*exp(-((x-B2)/B3)^2)' --beta0=0.3,4.5,10,1.5)

cd "$work"
sbatch --parsable --wait --array=0-3 --cpus-per-task=1 --output="$work/task-%a.log" \
  "$repo/examples/slurm/odr-batch.sbatch" "$work/peaks.csv" "$work/results" "${options[@]}" >"$work/sbatch.out" 2>&1 \
  || fail "the job array failed: $(cat "$work/sbatch.out") $(cat "$work"/task-*.log 2>/dev/null | tail -n 5)"
$ODR merge "$work/merged.csv" "$work"/results/shard-{0,1,2,3}.csv || fail "odr merge failed"
$ODR batch "$work/peaks.csv" "${options[@]}" --output "$work/single.csv" --progress 0 >/dev/null || fail "the single-process odr batch failed"
cmp "$work/single.csv" "$work/merged.csv" || fail "the merged shards differ from the single-process result"
rows=$(($(wc -l <"$work/merged.csv") - 1))
[ "$rows" -eq 400 ] || fail "$rows groups, not 400"
job=$(head -n 1 "$work/sbatch.out")
counts=$(for k in 0 1 2 3; do echo -n "$(($(wc -l <"$work/results/shard-$k.csv") - 1)) "; done)
echo "slurm test: passed: job array $job (4 tasks: ${counts% } groups) merged equals the single-process odr batch byte for byte ($rows groups)"
