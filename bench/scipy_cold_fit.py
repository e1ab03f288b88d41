"""scipy.odr's side of ColdFit (bench/ColdFit/Program.cs): in one fresh process, the first fit of a
model written as a user writes it (RealData with sx and sy, forward differences), fits 2..31, then the
steady state (median of 21 fits after warm-up). Each fit is timed from building the data to run()'s
return; the imports and reading the CSV are not timed. Prints one line of JSON.
Usage: python3 scipy_cold_fit.py exp|line DATA.csv
"""
import json
import statistics
import sys
import time

import numpy as np
import scipy.odr as odr

kind, path = sys.argv[1], sys.argv[2]
x, y, sx, sy = np.loadtxt(path, delimiter=",", skiprows=1, unpack=True)

if kind == "exp":
    def fit():
        return odr.ODR(odr.RealData(x, y, sx=sx, sy=sy), odr.Model(lambda b, t: b[0] * np.exp(b[1] * t) + b[2]),
                       beta0=[1.5, 1.0, 0.0]).run()
else:
    def fit():
        return odr.ODR(odr.RealData(x, y, sx=sx, sy=sy), odr.Model(lambda b, t: b[0] + b[1] * t),
                       beta0=[0.5, 1.5]).run()


def iterations(iwork):
    """NITER from ODRPACK's IWORK (as in scipy_fit.py): it follows LUNERR, LUNRPT (6, 6), NROW, NTOL, NETA, MAXIT."""
    iw = list(iwork)
    for i in range(len(iw) - 7):
        if iw[i] == 6 and iw[i + 1] == 6:
            return int(iw[i + 6])
    raise RuntimeError("NITER not found in IWORK")


def timed():
    t0 = time.perf_counter()
    out = fit()
    return time.perf_counter() - t0, out


cpu0 = time.process_time()
first, out = timed()
first_cpu = time.process_time() - cpu0
later = [timed()[0] for _ in range(30)]
for _ in range(20):
    fit()
steady = [timed()[0] for _ in range(21)]
print(json.dumps({"first": first, "first_cpu": first_cpu, "later_median": statistics.median(later), "later_max": max(later),
                  "steady": statistics.median(steady), "iterations": iterations(out.iwork),
                  "beta": [float(b) for b in out.beta]}))
