#!/usr/bin/python3
"""Writes the odr batch benchmark's data: GROUPS groups of POINTS points, a Gaussian peak on a baseline
(4 parameters), errors in x and y, long format (pixel,x,y), sorted by group.
Usage: batch_data.py OUT.csv [GROUPS] [POINTS]"""
import sys
import numpy as np

out = sys.argv[1]
groups = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
points = int(sys.argv[3]) if len(sys.argv) > 3 else 50
rng = np.random.default_rng(12345)
with open(out, "w") as f:
    f.write("pixel,x,y\n")
    chunk = 5000
    for start in range(0, groups, chunk):
        g = np.arange(start, min(groups, start + chunk))
        k = len(g)
        base = 0.3 + 0.4 * rng.random(k)
        height = 3 + 2 * rng.random(k)
        centre = 9 + 2 * rng.random(k)
        width = 1.2 + 0.6 * rng.random(k)
        x = np.linspace(0, 20, points)[None, :] + rng.normal(0, 0.02, (k, points))
        y = base[:, None] + height[:, None] * np.exp(-((x - centre[:, None]) / width[:, None]) ** 2) + rng.normal(0, 0.05, (k, points))
        ids = np.repeat(g, points)
        lines = "\n".join(f"{i},{a:.6f},{b:.6f}" for i, a, b in zip(ids, x.ravel(), y.ravel()))
        f.write(lines + "\n")
