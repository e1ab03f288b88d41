#!/usr/bin/python3
"""The loop odr batch replaces: scipy.odr over the first GROUPS groups of a batch_data.py file, one fit
per group, the same model and starting values as bench/batch.sh. Prints groups/s of the fit loop alone
(reading the file is not timed) and writes the results for a cross-check.
Usage: batch_scipy.py DATA.csv GROUPS RESULTS.csv"""
import csv
import sys
import time
import numpy as np
from scipy import odr

path, groups, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = {}
with open(path) as f:
    r = csv.reader(f)
    next(r)
    for key, x, y in r:
        if key not in data:
            if len(data) == groups:
                break
            data[key] = ([], [])
        data[key][0].append(float(x))
        data[key][1].append(float(y))
arrays = [(k, np.array(x), np.array(y)) for k, (x, y) in data.items()]


def f(b, x):
    return b[0] + b[1] * np.exp(-((x - b[2]) / b[3]) ** 2)


model = odr.Model(f)
results = []
start = time.perf_counter()
cpu = time.process_time()
for key, x, y in arrays:
    fit = odr.ODR(odr.RealData(x, y), model, beta0=[0.5, 4.0, 10.0, 1.5]).run()
    results.append((key, fit.beta))
seconds = time.perf_counter() - start
cpu = time.process_time() - cpu
with open(out, "w", newline="") as o:
    w = csv.writer(o, lineterminator="\n")
    w.writerow(["pixel", "B0", "B1", "B2", "B3"])
    for key, beta in results:
        w.writerow([key, *map(repr, beta)])
print(f"scipy.odr loop: {len(arrays)} groups in {seconds:.2f} s = {len(arrays) / seconds:.0f} groups/s (CPU {cpu:.2f} s = {len(arrays) / cpu:.0f} groups per CPU-second)")
