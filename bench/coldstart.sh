#!/usr/bin/env bash
# Cold start side by side with scipy.odr: fresh processes, timed from outside (see bench/README.md,
# "Cold start"). Builds bench/ColdFit (a user's console app) as `dotnet build` leaves it and published
# ReadyToRun, the odr tool as the portable package ships it (JIT) and as the linux-x64 package ships
# it (ReadyToRun), and with --aot a Native AOT odr; then runs `Odr.Bench coldstart` on them.
# Usage: bench/coldstart.sh [--runs 7] [--rows 10,100000] [--aot] [--test-published]
#   --test-published  also runs Odr.Cli.Tests against each published tool (ODR_CLI_EXE)
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/ensure_python_module.sh
ensure_python_module scipy.odr python3-scipy

aot=0; test_published=0; pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --aot) aot=1 ;;
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
# The tool: the portable build (what the package ships today: JIT only) and a linux-x64 platform
# build, ReadyToRun (what a platform-specific package would hold; see bench/README.md).
dotnet publish Odr.Cli/Odr.Cli.csproj "${q[@]}" --artifacts-path "$A/cli-jit" -p:PublishReadyToRun=false -o "$A/cli-jit/out" >&2
dotnet publish Odr.Cli/Odr.Cli.csproj "${q[@]}" --artifacts-path "$A/cli-r2r" -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$A/cli-r2r/out" >&2
tools="odr JIT=$A/cli-jit/out/Odr.Cli.dll,odr ReadyToRun=$A/cli-r2r/out/Odr.Cli"
if [ $aot = 1 ]; then
  # Sylvan.Data.Csv reports a trim warning (IL2104) for code paths the tool does not use.
  dotnet publish Odr.Cli/Odr.Cli.csproj "${q[@]}" --artifacts-path "$A/cli-aot" -r linux-x64 -p:PublishAot=true \
    -p:TreatWarningsAsErrors=false -o "$A/cli-aot/out" >&2
  tools="$tools,odr Native AOT=$A/cli-aot/out/Odr.Cli"
fi

if [ $test_published = 1 ]; then
  for exe in "$A/cli-r2r/out/Odr.Cli" $([ $aot = 1 ] && echo "$A/cli-aot/out/Odr.Cli"); do
    echo "Odr.Cli.Tests against $exe" >&2
    ODR_CLI_EXE="$exe" dotnet test Odr.Cli.Tests/Odr.Cli.Tests.csproj -nologo -v q >&2
  done
fi

dotnet "$A/bench/bin/Odr.Bench/release/Odr.Bench.dll" coldstart --python /usr/bin/python3 --scripts bench \
  --coldfit "Odr=$A/coldfit/bin/ColdFit/release/ColdFit.dll,Odr (app published ReadyToRun)=$A/coldfit-r2r/out/ColdFit.dll" \
  --odr "$tools" "${pass[@]}"
