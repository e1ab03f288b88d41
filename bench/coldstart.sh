#!/usr/bin/env bash
# Cold start side by side with scipy.odr: fresh processes, timed from outside (see bench/README.md,
# "Cold start"). Builds bench/ColdFit (a user's console app) as `dotnet build` leaves it, the same with
# the Odr package's ReadyToRun Odr.dll (tools/pack.sh), published ReadyToRun, and published Native
# AOT; the odr tool as the portable package Odr.Cli.any ships it (JIT) and as Odr.Cli.linux-x64 ships it (Native AOT), and with
# --r2r a ReadyToRun linux-x64 odr; then runs `Odr.Bench coldstart` on them.
# Usage: bench/coldstart.sh [--runs 7] [--rows 10,100000] [--r2r] [--test-published]
#   --test-published  also runs Odr.Cli.Tests against the Native AOT tool (ODR_CLI_EXE)
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/ensure_python_module.sh
ensure_python_module scipy.odr python3-scipy

r2r=0; test_published=0; pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --r2r) r2r=1 ;;
    --aot) ;; # always built now (what the linux-x64 package ships)
    --test-published) test_published=1 ;;
    *) pass+=("$1") ;;
  esac
  shift
done

A=${ODR_COLD_ARTIFACTS:-/tmp/odr-coldstart-artifacts}
q=(-c Release -nologo -v q)
dotnet build Odr.Bench/Odr.Bench.csproj "${q[@]}" --artifacts-path "$A/bench" >&2
dotnet build bench/ColdFit/ColdFit.csproj "${q[@]}" --artifacts-path "$A/coldfit" >&2
dotnet publish bench/ColdFit/ColdFit.csproj "${q[@]}" --artifacts-path "$A/coldfit-r2r" -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$A/coldfit-r2r/out" >&2
# The app as `dotnet build` leaves it, with the Odr.dll that tools/pack.sh packs (ReadyToRun linux-x64).
dotnet publish Odr/Odr.csproj "${q[@]}" --artifacts-path "$A/odr-r2r" -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$A/odr-r2r/out" >&2
# The app published as Native AOT (the library is AOT-compatible), for the CPUs of the last ten years
# (x86-64-v3, as the tool's linux-x64 package): no JIT at all.
dotnet publish bench/ColdFit/ColdFit.csproj "${q[@]}" --artifacts-path "$A/coldfit-aot" -r linux-x64 -p:PublishAot=true \
  -p:IlcInstructionSet=x86-64-v3 -o "$A/coldfit-aot/out" >&2
rm -rf "$A/coldfit-pkg" && cp -r "$A/coldfit/bin/ColdFit/release" "$A/coldfit-pkg" && cp "$A/odr-r2r/out/Odr.dll" "$A/coldfit-pkg/"
# The tool: the portable package (JIT) and the linux-x64 package (Native AOT, the csproj's
# OdrToolRids settings, as tools/pack.sh builds it).
dotnet publish Odr.Cli/Odr.Cli.csproj "${q[@]}" --artifacts-path "$A/cli-jit" -p:PublishReadyToRun=false -o "$A/cli-jit/out" >&2
dotnet publish Odr.Cli/Odr.Cli.csproj "${q[@]}" --artifacts-path "$A/cli-aot" -r linux-x64 -p:OdrToolRids=linux-x64 \
  -o "$A/cli-aot/out" >&2
tools="odr JIT (Odr.Cli.any)=$A/cli-jit/out/Odr.Cli.dll,odr Native AOT (Odr.Cli.linux-x64)=$A/cli-aot/out/Odr.Cli"
if [ $r2r = 1 ]; then
  dotnet publish Odr.Cli/Odr.Cli.csproj "${q[@]}" --artifacts-path "$A/cli-r2r" -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o "$A/cli-r2r/out" >&2
  tools="$tools,odr ReadyToRun=$A/cli-r2r/out/Odr.Cli"
fi

if [ $test_published = 1 ]; then
  echo "Odr.Cli.Tests against $A/cli-aot/out/Odr.Cli" >&2
  ODR_CLI_EXE="$A/cli-aot/out/Odr.Cli" dotnet test Odr.Cli.Tests/Odr.Cli.Tests.csproj -nologo -v q >&2
fi

dotnet "$A/bench/bin/Odr.Bench/release/Odr.Bench.dll" coldstart --python /usr/bin/python3 --scripts bench \
  --coldfit "Odr (dotnet build)=$A/coldfit/bin/ColdFit/release/ColdFit.dll,Odr (dotnet build + packaged ReadyToRun Odr.dll)=$A/coldfit-pkg/ColdFit.dll,Odr (app published ReadyToRun)=$A/coldfit-r2r/out/ColdFit.dll,Odr (app published Native AOT)=$A/coldfit-aot/out/ColdFit" \
  --odr "$tools" "${pass[@]}"
