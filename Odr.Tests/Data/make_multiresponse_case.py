"""Writes multiresponse-arithmetic.json: ODRPACK's (scipy.odr's) result for an explicit ODR fit with
one input and two responses whose model is plain arithmetic, so .NET evaluates it to the same bits
as numpy and the port must follow ODRPACK bit for bit. Run with /usr/bin/python3 (Debian's
python3-scipy). The data come from integer arithmetic and a few IEEE operations, which the test
repeats in C# (it checks a few values against "samples"), so only the results are stored."""
import json
import sys

import numpy as np
from scipy import odr


def counts(iwork):
    """NITER and NFEV from ODRPACK's IWORK: they follow LUNERR, LUNRPT (6, 6), NROW, NTOL, NETA, MAXIT."""
    iw = list(iwork)
    for i in range(len(iw) - 8):
        if iw[i] == 6 and iw[i + 1] == 6:
            return int(iw[i + 6]), int(iw[i + 7])
    raise RuntimeError("NITER not found in IWORK")


def case(n):
    i = np.arange(n, dtype=np.int64)
    u1 = ((i * 7919) % 1009) / 1009.0 - 0.5
    u2 = ((i * 104729) % 1013) / 1013.0 - 0.5
    u3 = ((i * 1299709) % 1019) / 1019.0 - 0.5
    x = 4.0 * i / n + 0.01 * u1
    y = np.vstack([1.0 + 2.0 * x + 0.05 * u2, 0.5 - 0.3 * x + 0.2 * x * x + 0.05 * u3])

    def f(b, x):
        return np.vstack([b[0] + b[1] * x, b[2] + b[3] * x + b[4] * x * x])

    beta0 = [0.8, 1.7, 0.4, -0.1, 0.3]
    out = odr.ODR(odr.Data(x, y), odr.Model(f), beta0=beta0).run()
    probe = [0, n // 3, n - 1]
    return {
        "n": n,
        "samples": {"index": probe, "x": [float(x[k]) for k in probe], "y0": [float(y[0, k]) for k in probe], "y1": [float(y[1, k]) for k in probe]},
        "beta0": beta0,
        "beta": [float(v) for v in out.beta],
        "niter": counts(out.iwork)[0],
        "nfev": counts(out.iwork)[1],
        "info": int(out.info),
    }


json.dump({"cases": [case(40), case(5000), case(30000)]}, sys.stdout, indent=1)
