#!/usr/bin/env bash
# Builds the release packages into dist/ (or the folder given):
#   Odr.Cli.<version>.nupkg            what `dotnet tool install -g Odr.Cli` reads first: it names the
#                                      platform packages, and the CLI picks the one for the machine
#   Odr.Cli.linux-x64.<version>.nupkg  the odr tool compiled Native AOT for linux-x64, with only that
#                                      platform's SkiaSharp/HarfBuzz natives (no .NET runtime needed)
#   Odr.Cli.any.<version>.nupkg        the portable fallback (JIT, needs the .NET 10 runtime; every
#                                      platform's natives) for every other platform
#   Odr.<version>.nupkg                the library: IL, runs anywhere, with linux-x64 machine code
#                                      (ReadyToRun) beside the IL
# Native AOT cannot cross-compile between operating systems: a package for another platform
# (win-x64, osx-arm64, linux-arm64) is built on that platform with
#   dotnet pack Odr.Cli/Odr.Cli.csproj -c Release -p:OdrToolRids="<all rids>" -r <rid> -o dist
# after adding its RID to RIDS below. The AOT build needs clang or gcc and zlib (zlib1g-dev).
# Why Native AOT and not ReadyToRun: bench/README.md, "Cold start".
# Usage: tools/pack.sh [OUTPUT_DIR]     (about 5 minutes on 2 busy cores)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-dist}
RIDS=linux-x64
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT
mkdir -p "$out"
common=(-c Release -nologo -v q -p:OdrToolRids="$RIDS" --artifacts-path "$artifacts" -o "$out")

# The library: Odr.dll compiled ReadyToRun for linux-x64 (it keeps its IL: other platforms JIT it).
dotnet publish Odr/Odr.csproj -c Release -nologo -v q --artifacts-path "$artifacts/odr" -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$artifacts/odr-r2r"
dotnet pack Odr/Odr.csproj -c Release -nologo -v q --artifacts-path "$artifacts/odr" -p:OdrReadyToRunDir="$artifacts/odr-r2r" -o "$out"
dotnet pack Odr.Cli/Odr.Cli.csproj "${common[@]}"                          # the package naming the others
dotnet pack Odr.Cli/Odr.Cli.csproj "${common[@]}" -r any -p:PublishAot=false   # the portable fallback
if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
  dotnet pack Odr.Cli/Odr.Cli.csproj "${common[@]}" -r linux-x64        # Native AOT
else
  echo "not on linux-x64: Odr.Cli.linux-x64 not built (Native AOT builds on its own platform only)" >&2
fi

# What a linux-x64 user downloads (the pointer package and the platform package) and installs.
for f in "$out"/*.nupkg; do
  printf '%-48s %6.1f MB zipped, %6.1f MB unpacked\n' "$(basename "$f")" \
    "$(echo "$(stat -c %s "$f") / 1000000" | bc -l)" \
    "$(unzip -l "$f" | tail -1 | awk '{print $1 / 1000000}')"
done
