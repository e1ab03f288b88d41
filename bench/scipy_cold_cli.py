"""The scipy script equivalent to `odr fit DATA.csv --model 'B0*exp(B1*x) + B2' --beta0 1.5,1,0
--sx sx --sy sy` (analytic derivatives, checked: ODRPACK's deriv = 2, as the tool's default):
read the CSV with numpy, fit, print pprint(). bench/coldstart.sh times the whole process.
"""
import sys

import numpy as np
import scipy.odr as odr

x, y, sx, sy = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, unpack=True)


def f(b, t):
    return b[0] * np.exp(b[1] * t) + b[2]


def fjacb(b, t):
    e = np.exp(b[1] * t)
    return np.vstack([e, b[0] * t * e, np.ones_like(t)])


def fjacd(b, t):
    return b[0] * b[1] * np.exp(b[1] * t)


fit = odr.ODR(odr.RealData(x, y, sx=sx, sy=sy), odr.Model(f, fjacb=fjacb, fjacd=fjacd), beta0=[1.5, 1.0, 0.0])
fit.set_job(deriv=2)
out = fit.run()
out.pprint()
