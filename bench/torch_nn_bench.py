#!/usr/bin/env python3
"""PyTorch (CPU, float64) counterpart of NeuralNet.Bench: times one training step
(zero_grad, forward, loss, backward, SGD step) of the same four models, with the same
shapes and batch, timed the same way (warm-up, then the median over repetitions of the
mean time of a few consecutive steps).

Usage: /usr/bin/python3 bench/torch_nn_bench.py [--models rnn,mlp30,convlstm,mlp784]
       [--reps 15] [--warmup-ms 500] [--rep-ms 20] [--threads N] [--tsv]
"""
import argparse
import math
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH = 32
EPS = 1e-7  # Keras/NeuralNet clipping of probabilities in categorical cross-entropy


def cce(p, t):
    """Categorical cross-entropy on probabilities, as NeuralNet (clip to [eps, 1 - eps], mean over rows)."""
    return -(t * p.clamp(EPS, 1.0 - EPS).log()).sum(dim=-1).mean()


class Rnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 3, nonlinearity="tanh", batch_first=True)
        self.dense = nn.Linear(3, 1)

    def forward(self, x):
        _, h = self.rnn(x)          # h: [1, batch, 3], the last state (Keras return_sequences=False)
        return self.dense(h[0])


class Mlp(nn.Module):
    def __init__(self, n_in, hidden, n_out, softmax):
        super().__init__()
        self.l1 = nn.Linear(n_in, hidden)
        self.l2 = nn.Linear(hidden, n_out)
        self.softmax = softmax

    def forward(self, x):
        z = self.l2(F.relu(self.l1(x)))
        return torch.softmax(z, dim=-1) if self.softmax else z


class ConvLstm(nn.Module):
    """Five sequences share one causal Conv1D(8, 3, relu) and one LSTM(10); last states concatenated."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 8, 3)
        self.lstm = nn.LSTM(8, 10, batch_first=True)
        self.dense = nn.Linear(5 * 10, 3)

    def forward(self, *xs):
        hs = []
        for x in xs:                                    # x: [batch, L, 1]
            c = F.relu(self.conv(F.pad(x.transpose(1, 2), (2, 0))))   # causal: pad kernel-1 on the left
            _, (h, _) = self.lstm(c.transpose(1, 2))
            hs.append(h[0])
        return torch.softmax(self.dense(torch.cat(hs, dim=-1)), dim=-1)


def one_hot(g, rows, classes):
    return F.one_hot(torch.randint(0, classes, (rows,), generator=g), classes).to(torch.float64)


def uniform(g, *shape):
    return torch.rand(*shape, generator=g, dtype=torch.float64) * 2.0 - 1.0


def make_case(name):
    g = torch.Generator().manual_seed(42)
    if name == "rnn":
        return Rnn(), [uniform(g, BATCH, 100, 1)], uniform(g, BATCH, 1), F.mse_loss
    if name == "mlp30":
        return Mlp(10, 30, 1, False), [uniform(g, BATCH, 10)], uniform(g, BATCH, 1), F.mse_loss
    if name == "convlstm":
        xs = [uniform(g, BATCH, n, 1) for n in (12, 9, 15, 7, 10)]
        return ConvLstm(), xs, one_hot(g, BATCH, 3), cce
    if name == "mlp784":
        return Mlp(784, 128, 10, True), [uniform(g, BATCH, 784)], one_hot(g, BATCH, 10), cce
    raise SystemExit(f"unknown model '{name}' (rnn, mlp30, convlstm, mlp784)")


def median_ms_per_step(step, reps, warmup_ms, rep_ms):
    t0 = time.perf_counter()
    warm = 0
    while warm < 20 or (time.perf_counter() - t0) * 1e3 < warmup_ms:
        step()
        warm += 1
    per_step = (time.perf_counter() - t0) * 1e3 / warm
    inner = max(1, math.ceil(rep_ms / max(per_step, 1e-6)))
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(inner):
            step()
        times.append((time.perf_counter() - t) * 1e3 / inner)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="rnn,mlp30,convlstm,mlp784")
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--warmup-ms", type=float, default=500)
    ap.add_argument("--rep-ms", type=float, default=20)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--tsv", action="store_true")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(1)

    rows = []
    for name in args.models.split(","):
        model, xs, target, loss_fn = make_case(name)
        model = model.to(torch.float64)
        opt = torch.optim.SGD(model.parameters(), lr=0.01)

        def step():
            opt.zero_grad()
            loss = loss_fn(model(*xs), target)
            loss.backward()
            opt.step()

        rows.append((name, median_ms_per_step(step, args.reps, args.warmup_ms, args.rep_ms)))

    if args.tsv:
        for name, ms in rows:
            print(f"{name}\t{ms!r}")
    else:
        print(f"PyTorch {torch.__version__} training step (float64, CPU, {torch.get_num_threads()} threads, "
              f"batch {BATCH}, SGD), median of {args.reps} repetitions")
        print()
        print(f"| {'model':<10} | {'PyTorch ms/step':>15} |")
        print(f"| {'-' * 10} | {'-' * 14}: |")
        for name, ms in rows:
            print(f"| {name:<10} | {ms:15.4f} |")


if __name__ == "__main__":
    main()
