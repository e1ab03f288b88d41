"""Runs the benchmark problems through scipy.odr and prints one JSON object per line.

Input: a JSON manifest (written by `Odr.Bench compare`) listing problems: name, n, m, q, analytic,
beta0, prefix (raw little-endian float64 files prefix.x [m][n], prefix.y [q][n], prefix.sx, prefix.sy),
repeats. The fit alone (ODR(...).run()) is timed, after three warm-up runs; the best of `repeats` is
kept. (Reference counting frees each fit's arrays when the next replaces it; the Odr side runs a full
garbage collection before each timed fit for the same effect.)
"""
import json
import os
import sys
import time

import numpy as np
import scipy
import scipy.odr as odr


def models(name):
    if name == "line":
        f = lambda b, x: b[0] + b[1] * x
        jb = lambda b, x: np.vstack([np.ones_like(x), x])
        jd = lambda b, x: np.full_like(x, b[1])
    elif name == "exp":
        f = lambda b, x: b[0] * np.exp(b[1] * x) + b[2]

        def jb(b, x):
            e = np.exp(b[1] * x)
            return np.vstack([e, b[0] * x * e, np.ones_like(x)])

        jd = lambda b, x: b[0] * b[1] * np.exp(b[1] * x)
    elif name == "twoinput":
        f = lambda b, x: b[0] * np.exp(b[1] * x[0]) + b[2] * x[1] + b[3] * x[0] * x[1]

        def jb(b, x):
            e = np.exp(b[1] * x[0])
            return np.vstack([e, b[0] * x[0] * e, x[1], x[0] * x[1]])

        jd = lambda b, x: np.vstack([b[0] * b[1] * np.exp(b[1] * x[0]) + b[3] * x[1], b[2] + b[3] * x[0]])
    elif name == "tworesp":
        f = lambda b, x: np.vstack([b[0] + b[1] * x, b[2] * np.exp(b[3] * x)])

        def jb(b, x):
            e = np.exp(b[3] * x)
            z = np.zeros_like(x)
            o = np.ones_like(x)
            return np.array([[o, x, z, z], [z, z, e, b[2] * x * e]])

        jd = lambda b, x: np.vstack([np.full_like(x, b[1]), b[2] * b[3] * np.exp(b[3] * x)])
    elif name == "circle":
        f = lambda b, x: (x[0] - b[0]) ** 2 + (x[1] - b[1]) ** 2 - b[2] ** 2
        jb = lambda b, x: np.vstack([-2 * (x[0] - b[0]), -2 * (x[1] - b[1]), np.full_like(x[0], -2 * b[2])])
        jd = lambda b, x: np.vstack([2 * (x[0] - b[0]), 2 * (x[1] - b[1])])
    else:
        raise ValueError(name)
    return f, jb, jd


def load(prefix, ext, rows, n):
    path = prefix + ext
    if not os.path.exists(path):
        return None
    a = np.fromfile(path, dtype="<f8")
    return a if rows == 1 else a.reshape(rows, n)


def iterations(iwork):
    """NITER from ODRPACK's IWORK: it follows LUNERR, LUNRPT (6, 6), NROW, NTOL, NETA and MAXIT."""
    iw = list(iwork)
    for i in range(len(iw) - 7):
        if iw[i] == 6 and iw[i + 1] == 6:
            return int(iw[i + 6])
    raise RuntimeError("NITER not found in IWORK")


def lm_steps(work, n, m, nq, npar, niter):
    """Levenberg-Marquardt steps of the fit: OLMAVG (the average per iteration) from ODRPACK's WORK,
    where DWINF puts it after DELTA, EPS, XPLUS, FN (n*m, n*nq, n*m, n*nq), SD, VCV (np, np*np) and
    RVAR, WSS, WSSDEL, WSSEPS, RCOND, ETA; times the iterations."""
    olmavg = work[2 * n * m + 2 * n * nq + npar + npar * npar + 6]
    return int(round(olmavg * niter))


def run_one(p):
    n, m, q = p["n"], p["m"], p["q"]
    x = load(p["prefix"], ".x", m, n)
    y = load(p["prefix"], ".y", max(q, 1), n)
    sx = load(p["prefix"], ".sx", m, n)
    sy = load(p["prefix"], ".sy", max(q, 1), n)
    f, jb, jd = models(p["name"])
    implicit = p["name"] == "circle"
    if implicit:
        data = odr.Data(x, 1)
    elif sx is not None or sy is not None:
        data = odr.RealData(x, y, sx=sx, sy=sy)
    else:
        data = odr.Data(x, y)
    if p["analytic"]:
        model = odr.Model(f, fjacb=jb, fjacd=jd, implicit=implicit)
    else:
        model = odr.Model(f, implicit=implicit)

    def make():
        o = odr.ODR(data, model, beta0=p["beta0"])
        o.set_job(fit_type=1 if implicit else 0, deriv=3 if p["analytic"] else 0)
        return o

    for _ in range(3):
        make().run()  # warm-up
    best = float("inf")
    out = None
    for _ in range(p["repeats"]):
        o = make()
        t0 = time.perf_counter()
        out = o.run()
        best = min(best, time.perf_counter() - t0)
    niter = iterations(out.iwork)
    return {"key": p["key"], "seconds": best, "beta": [float(b) for b in out.beta], "iterations": niter,
            "lm_steps": lm_steps(out.work, n, m, max(q, 1), len(p["beta0"]), niter), "info": int(out.info)}


def main():
    """With a manifest file, fits all its problems; without, fits one problem per line of standard
    input, answering each before reading the next (so the caller can time its own fit of the same
    problem right after, and both see the same moments of a shared machine's load)."""
    print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__}), flush=True)
    if len(sys.argv) > 1:
        with open(sys.argv[1]) as fh:
            problems = json.load(fh)
        for p in problems:
            print(json.dumps(run_one(p)), flush=True)
        return
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run_one(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
