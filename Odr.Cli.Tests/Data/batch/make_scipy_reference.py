#!/usr/bin/python3
"""Reference for odr batch: 24 groups of a Gaussian peak on a baseline, each fitted alone by scipy.odr
(Debian python3-scipy), the loop users write today. Writes peaks.csv (the data, long format) and
scipy_reference.csv (per group: beta, sd_beta, res_var, info). Run: /usr/bin/python3 make_scipy_reference.py"""
import csv
import numpy as np
import scipy
from scipy import odr

rng = np.random.default_rng(20261205)
beta0 = [0.5, 4.0, 10.0, 1.5]


def f(b, x):
    return b[0] + b[1] * np.exp(-((x - b[2]) / b[3]) ** 2)


with open("peaks.csv", "w", newline="") as data, open("scipy_reference.csv", "w", newline="") as ref:
    data.write("pixel,x,y\n")
    out = csv.writer(ref, lineterminator="\n")
    out.writerow(["pixel", "B0", "B1", "B2", "B3", "sd_B0", "sd_B1", "sd_B2", "sd_B3", "res_var", "info", "scipy"])
    for g in range(24):
        truth = [0.3 + 0.4 * rng.random(), 3 + 2 * rng.random(), 9 + 2 * rng.random(), 1.2 + 0.6 * rng.random()]
        x = np.linspace(0, 20, 40) + rng.normal(0, 0.02, 40)
        y = f(truth, x) + rng.normal(0, 0.05, 40)
        for xi, yi in zip(x, y):
            data.write(f"p{g:02d},{xi!r},{yi!r}\n")
        fit = odr.ODR(odr.RealData(x, y), odr.Model(f), beta0=beta0).run()
        out.writerow([f"p{g:02d}", *map(repr, fit.beta), *map(repr, fit.sd_beta), repr(fit.res_var), fit.info, scipy.__version__])
