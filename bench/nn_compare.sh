#!/usr/bin/env bash
# Training-step time of NeuralNet (Release build of NeuralNet.Bench) and PyTorch CPU (bench/torch_nn_bench.py)
# on the same four models, side by side (see the NeuralNet section of bench/README.md).
# Usage: bench/nn_compare.sh [--models rnn,mlp30,convlstm,mlp784] [--reps 15] [--warmup-ms 500] [--rep-ms 20]
# (the options go to both programs). Ratio = NeuralNet / PyTorch (above 1: NeuralNet is slower).
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/ensure_python_module.sh
ensure_python_module torch python3-torch

ARTIFACTS=${NN_BENCH_ARTIFACTS:-/tmp/nnbench-artifacts}
dotnet build NeuralNet.Bench/NeuralNet.Bench.csproj -c Release --artifacts-path "$ARTIFACTS" -nologo -v q >&2
BENCH="$ARTIFACTS/bin/NeuralNet.Bench/release/NeuralNet.Bench.dll"

NPROC=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
load_before=$(cut -d" " -f1-3 /proc/loadavg)
echo "NeuralNet ..." >&2
dotnet "$BENCH" --tsv "$@" > "$tmp/nn.tsv"
echo "PyTorch, $NPROC threads ..." >&2
/usr/bin/python3 bench/torch_nn_bench.py --tsv --threads "$NPROC" "$@" > "$tmp/pt.tsv"
echo "PyTorch, 1 thread ..." >&2
/usr/bin/python3 bench/torch_nn_bench.py --tsv --threads 1 "$@" > "$tmp/pt1.tsv"
load_after=$(cut -d" " -f1-3 /proc/loadavg)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
torch_version=$(/usr/bin/python3 -c 'import torch; print(torch.__version__)')
echo "Machine: $NPROC cores (nproc), $cpu; load average before $load_before, after $load_after"
echo "NeuralNet: .NET $(dotnet --version), one thread. PyTorch $torch_version, float64, CPU."
echo "One training step (zero gradients, forward, loss, backward, SGD update), batch 32, double precision;"
echo "median over repetitions after warm-up. Ratio = NeuralNet / PyTorch ($NPROC threads)."
echo
printf '| %-10s | %17s | %28s | %7s | %26s |\n' model "NeuralNet ms/step" "PyTorch ms/step ($NPROC threads)" ratio "PyTorch ms/step (1 thread)"
printf '| %-10s | %17s | %28s | %7s | %26s |\n' ---------- "----------------:" "---------------------------:" "------:" "-------------------------:"
awk -F'\t' 'FILENAME == ARGV[1] { pt[$1] = $2; next } FILENAME == ARGV[2] { pt1[$1] = $2; next }
  { printf "| %-10s | %17.4f | %28.4f | %7.2f | %26.4f |\n", $1, $2, pt[$1], $2 / pt[$1], pt1[$1] }' \
  "$tmp/pt.tsv" "$tmp/pt1.tsv" "$tmp/nn.tsv"
