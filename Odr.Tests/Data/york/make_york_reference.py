#!/usr/bin/python3
"""York et al. (2004), Am. J. Phys. 72, 367, section III: the straight-line fit y = a + b x to data
with errors in x and y that may be correlated (r_i per observation), and its standard errors.

Written from the paper's algorithm, independently of Odr (numpy only; Debian's python3-numpy):
  1. start from the ordinary least-squares slope b;
  2. W_i = w(X_i) w(Y_i) / (w(X_i) + b^2 w(Y_i) - 2 b r_i alpha_i),  alpha_i = sqrt(w(X_i) w(Y_i));
  3. Xbar = sum W X / sum W, Ybar likewise, U = X - Xbar, V = Y - Ybar,
     beta_i = W_i [U_i / w(Y_i) + b V_i / w(X_i) - (b U_i + V_i) r_i / alpha_i];
  4. b = sum W beta V / sum W beta U; repeat 2-4 until b no longer changes;
  5. a = Ybar - b Xbar;
  6. x_i = Xbar + beta_i (the adjusted x), xbar = sum W x / sum W, u = x - xbar,
     sigma_b^2 = 1 / sum W u^2,  sigma_a^2 = 1 / sum W + xbar^2 sigma_b^2.
The weights are w(X) = 1/sx^2 and w(Y) = 1/sy^2. York's sigmas are "absolute" (not scaled by the
reduced chi-square S / (n - 2), which is reported too).

Run:  /usr/bin/python3 make_york_reference.py > york-reference.json
"""
import json
import sys

import numpy as np


def york(X, Y, sx, sy, r, tol=1e-15, max_iter=10000):
    X, Y = np.asarray(X, float), np.asarray(Y, float)
    wX, wY = 1.0 / np.asarray(sx, float) ** 2, 1.0 / np.asarray(sy, float) ** 2
    r = np.broadcast_to(np.asarray(r, float), X.shape)
    alpha = np.sqrt(wX * wY)
    b = np.polyfit(X, Y, 1)[0]
    for it in range(1, max_iter + 1):
        W = wX * wY / (wX + b * b * wY - 2 * b * r * alpha)
        Xbar, Ybar = np.sum(W * X) / np.sum(W), np.sum(W * Y) / np.sum(W)
        U, V = X - Xbar, Y - Ybar
        beta = W * (U / wY + b * V / wX - (b * U + V) * r / alpha)
        b_new = np.sum(W * beta * V) / np.sum(W * beta * U)
        done = abs(b_new - b) <= tol * abs(b_new)
        b = b_new
        if done:
            break
    else:
        raise RuntimeError("York's iteration did not converge")
    # Final quantities at the converged slope.
    W = wX * wY / (wX + b * b * wY - 2 * b * r * alpha)
    Xbar, Ybar = np.sum(W * X) / np.sum(W), np.sum(W * Y) / np.sum(W)
    U, V = X - Xbar, Y - Ybar
    beta = W * (U / wY + b * V / wX - (b * U + V) * r / alpha)
    a = Ybar - b * Xbar
    x_adj = Xbar + beta
    xbar = np.sum(W * x_adj) / np.sum(W)
    u = x_adj - xbar
    sigma_b = np.sqrt(1.0 / np.sum(W * u * u))
    sigma_a = np.sqrt(1.0 / np.sum(W) + xbar * xbar * sigma_b ** 2)
    S = np.sum(W * (Y - b * X - a) ** 2)  # the minimized quadratic form (York's S)
    return dict(a=float(a), b=float(b), sigma_a=float(sigma_a), sigma_b=float(sigma_b),
                chi2=float(S), x_adjusted=[float(v) for v in x_adj], iterations=it)


def case(name, x, y, sx, sy, r):
    result = york(x, y, sx, sy, r)
    r_out = float(r) if np.ndim(r) == 0 else [float(v) for v in r]
    return dict(name=name, x=[float(v) for v in x], y=[float(v) for v in y],
                sx=[float(v) for v in sx], sy=[float(v) for v in sy], r=r_out, **result)


def main():
    # Pearson's data with York's weights (York 1966; York et al. 2004, table I).
    px = [0.0, 0.9, 1.8, 2.6, 3.3, 4.4, 5.2, 6.1, 6.5, 7.4]
    py = [5.9, 5.4, 4.4, 4.6, 3.5, 3.7, 2.8, 2.8, 2.4, 1.5]
    wx = np.array([1000, 1000, 500, 800, 200, 80, 60, 20, 1.8, 1], float)
    wy = np.array([1, 1.8, 4, 8, 20, 20, 70, 70, 100, 500], float)
    psx, psy = 1 / np.sqrt(wx), 1 / np.sqrt(wy)

    cases = []
    pearson0 = case("pearson-york r=0", px, py, psx, psy, 0.0)
    # York et al. (2004), section IV: a = 5.47991022, b = -0.48053340 for r = 0. This iteration gives
    # a = 5.479910224, b = -0.4805334074: the same a to the digits printed, b 7.4e-9 from the printed
    # value (one unit in its last digit; other published solutions quote b = -0.4805334).
    assert abs(pearson0["a"] - 5.47991022) < 1e-8 and abs(pearson0["b"] + 0.48053340) < 1e-8, pearson0
    cases.append(pearson0)
    cases.append(case("pearson-york r=0.3", px, py, psx, psy, 0.3))
    cases.append(case("pearson-york r=-0.5", px, py, psx, psy, -0.5))
    per_obs = [0.0, 0.2, -0.4, 0.6, -0.8, 0.1, 0.9, -0.3, 0.5, -0.95]
    cases.append(case("pearson-york r per observation", px, py, psx, psy, per_obs))

    # A second data set: a seeded line with errors of different sizes and correlations per point.
    rng = np.random.default_rng(20040301)
    n = 25
    xt = np.linspace(-3.0, 12.0, n)
    sx = rng.uniform(0.05, 0.6, n)
    sy = rng.uniform(0.1, 1.5, n)
    rr = rng.uniform(-0.85, 0.85, n)
    z = rng.standard_normal((2, n))
    ex = sx * z[0]
    ey = sy * (rr * z[0] + np.sqrt(1 - rr * rr) * z[1])
    x = np.round(xt + ex, 6)
    y = np.round(2.5 - 1.3 * xt + ey, 6)
    sx, sy, rr = np.round(sx, 4), np.round(sy, 4), np.round(rr, 3)
    cases.append(case("synthetic n=25 r per observation", x, y, sx, sy, rr))
    cases.append(case("synthetic n=25 r=0", x, y, sx, sy, 0.0))
    cases.append(case("synthetic n=25 r=0.7", x, y, sx, sy, 0.7))

    json.dump(dict(source="York et al. (2004), Am. J. Phys. 72, 367, section III; make_york_reference.py",
                   numpy=np.__version__, cases=cases), sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
