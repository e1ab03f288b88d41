#!/usr/bin/env bash
# Side-by-side timing of scipy.odr and Odr on the same problems (see bench/README.md).
# Usage: bench/compare.sh [--sizes 100,1000,...] [--models line,exp,...] [--deriv fd,analytic]
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/ensure_python_module.sh
ensure_python_module scipy.odr python3-scipy

ARTIFACTS=${ODR_BENCH_ARTIFACTS:-/tmp/perf-artifacts-release}
dotnet build Odr.Bench/Odr.Bench.csproj -c Release --artifacts-path "$ARTIFACTS" -nologo -v q >&2
BENCH="$ARTIFACTS/bin/Odr.Bench/release/Odr.Bench.dll"
echo "load average before: $(cut -d" " -f1-3 /proc/loadavg)" >&2

status=0
dotnet "$BENCH" compare --python /usr/bin/python3 --script bench/scipy_fit.py --out bench/RESULTS.md "$@" || status=$?
{
  echo
  echo "## Time per iteration (Odr, all cores)"
  echo
  dotnet "$BENCH" scaling
  echo
  echo "## Read bandwidth of this machine (from cache up to 32 MB, from memory beyond)"
  echo
  dotnet "$BENCH" bandwidth
  echo
  echo "## Allocated bytes per fit (whole process, all threads; tolerances tiny so the fit runs to maxit; the same bytes at maxit 5 and 50)"
  echo
  dotnet "$BENCH" alloc
  echo
  echo "## Peak memory of the whole process"
  echo
  dotnet "$BENCH" peak --model exp --n 1000000
  echo
  echo "## Batch (default workstation GC, then the server GC an application on many cores would choose)"
  echo
  dotnet "$BENCH" batch --count 10000 --points 50
  DOTNET_gcServer=1 dotnet "$BENCH" batch --count 10000 --points 50
} | tee -a bench/RESULTS.md
exit $status
