namespace Odr.Bench;

/// <summary>The benchmark problems: deterministic data, starting values and models in both derivative modes.
/// The same data (written as raw little-endian doubles) and starting values go to scipy.odr in compare mode.</summary>
public sealed class Problem
{
    /// <summary>The model names, in table order.</summary>
    public static readonly string[] Names = { "line", "exp", "twoinput", "tworesp", "circle" };

    private Problem(string name, int n, int m, int q, double[] x, double[]? y, double[]? sx, double[]? sy, double[] beta0)
    {
        Name = name;
        N = n;
        M = m;
        Q = q;
        X = x;
        Y = y;
        Sx = sx;
        Sy = sy;
        Beta0 = beta0;
    }

    /// <summary>Model name.</summary>
    public string Name { get; }

    /// <summary>Observations.</summary>
    public int N { get; }

    /// <summary>Inputs per observation.</summary>
    public int M { get; }

    /// <summary>Responses per observation (0 for the implicit circle).</summary>
    public int Q { get; }

    /// <summary>x as [m][n] (variable-major, numpy's layout), flattened.</summary>
    public double[] X { get; }

    /// <summary>y as [q][n], flattened; null for the implicit model.</summary>
    public double[]? Y { get; }

    /// <summary>Standard deviations of x, [m][n] flattened, or null.</summary>
    public double[]? Sx { get; }

    /// <summary>Standard deviations of y, [q][n] flattened, or null.</summary>
    public double[]? Sy { get; }

    /// <summary>Starting parameters.</summary>
    public double[] Beta0 { get; }

    /// <summary>Builds the problem's data deterministically.</summary>
    public static Problem Create(string name, int n, int seed = 12345)
    {
        var rng = new Random(seed + n);
        double U() => 2 * rng.NextDouble() - 1;
        switch (name)
        {
            case "line":
                {
                    var x = new double[n];
                    var y = new double[n];
                    var sx = new double[n];
                    var sy = new double[n];
                    for (int i = 0; i < n; i++)
                    {
                        double t = 10.0 * i / n;
                        x[i] = t + 0.05 * U();
                        y[i] = 1.0 + 2.0 * t + 0.1 * U();
                        sx[i] = 0.05 + 0.01 * rng.NextDouble();
                        sy[i] = 0.1 + 0.02 * rng.NextDouble();
                    }
                    return new Problem(name, n, 1, 1, x, y, sx, sy, new[] { 0.5, 1.5 });
                }
            case "exp":
                {
                    var x = new double[n];
                    var y = new double[n];
                    for (int i = 0; i < n; i++)
                    {
                        double t = 2.0 * i / n;
                        x[i] = t + 0.01 * U();
                        y[i] = 2.0 * Math.Exp(1.3 * t) + 0.5 + 0.05 * U();
                    }
                    return new Problem(name, n, 1, 1, x, y, null, null, new[] { 1.5, 1.0, 0.0 });
                }
            case "twoinput":
                {
                    var x = new double[2 * n];
                    var y = new double[n];
                    for (int i = 0; i < n; i++)
                    {
                        double a = rng.NextDouble(), b = rng.NextDouble();
                        x[i] = a + 0.01 * U();
                        x[n + i] = b + 0.01 * U();
                        y[i] = 1.0 * Math.Exp(0.8 * a) + 2.0 * b + 0.5 * a * b + 0.02 * U();
                    }
                    return new Problem(name, n, 2, 1, x, y, null, null, new[] { 0.8, 1.0, 1.5, 0.3 });
                }
            case "tworesp":
                {
                    var x = new double[n];
                    var y = new double[2 * n];
                    for (int i = 0; i < n; i++)
                    {
                        double t = 1.0 * i / n;
                        x[i] = t + 0.01 * U();
                        y[i] = 1.0 + 2.0 * t + 0.02 * U();
                        y[n + i] = 0.5 * Math.Exp(1.2 * t) + 0.02 * U();
                    }
                    return new Problem(name, n, 1, 2, x, y, null, null, new[] { 0.8, 1.8, 0.6, 1.0 });
                }
            case "circle":
                {
                    var x = new double[2 * n];
                    for (int i = 0; i < n; i++)
                    {
                        double phi = 2 * Math.PI * i / n;
                        x[i] = 1.0 + 3.0 * Math.Cos(phi) + 0.05 * U();
                        x[n + i] = 2.0 + 3.0 * Math.Sin(phi) + 0.05 * U();
                    }
                    return new Problem(name, n, 2, 0, x, null, null, null, new[] { 0.8, 1.7, 2.5 });
                }
            default:
                throw new ArgumentException("unknown model " + name, nameof(name));
        }
    }

    /// <summary>The same observations repeated <paramref name="copies"/> times: ODRPACK then takes the
    /// same path as on the original (every sum of squares, gradient and Jacobian product is that many
    /// times larger and the Levenberg-Marquardt parameter scales with them), so per-iteration times of
    /// the two compare the same work.</summary>
    public Problem Tiled(int copies)
    {
        static double[]? Tile(double[]? rows, int n, int copies)
        {
            if (rows is null) return null;
            int blocks = rows.Length / n;
            var result = new double[rows.Length * copies];
            for (int b = 0; b < blocks; b++)
            {
                for (int c = 0; c < copies; c++) Array.Copy(rows, b * n, result, (b * n * copies) + (c * n), n);
            }
            return result;
        }

        return new Problem(Name, N * copies, M, Q, Tile(X, N, copies)!, Tile(Y, N, copies), Tile(Sx, N, copies), Tile(Sy, N, copies), Beta0);
    }

    /// <summary>Builds the Odr data set.</summary>
    public Data BuildData()
    {
        NdArray x = M == 1 ? X : NdArray.FromShape(new[] { M, N }, X);
        NdArray? y = Y is null ? null : (Q == 1 ? Y : NdArray.FromShape(new[] { Q, N }, Y));
        if (Sx is not null || Sy is not null) return new RealData(x, y, sx: Sx is null ? null : (NdArray)Sx, sy: Sy is null ? null : (NdArray)Sy);
        return new Data(x, y);
    }

    /// <summary>The model: per-observation form for the one-input one-response models (parallel by
    /// default), vectorized otherwise.</summary>
    public Model BuildModel(bool analytic)
    {
        switch (Name)
        {
            case "line":
                return analytic
                    ? new Model((b, x) => b[0] + b[1] * x, (b, x, g) => { g[0] = 1; g[1] = x; }, (b, x) => b[1])
                    : new Model((b, x) => b[0] + b[1] * x);
            case "exp":
                return analytic
                    ? new Model((b, x) => b[0] * Math.Exp(b[1] * x) + b[2], (b, x, g) => { double e = Math.Exp(b[1] * x); g[0] = e; g[1] = b[0] * x * e; g[2] = 1; }, (b, x) => b[0] * b[1] * Math.Exp(b[1] * x))
                    : new Model((b, x) => b[0] * Math.Exp(b[1] * x) + b[2]);
            case "twoinput":
                return new Model(
                    (b, x, f) =>
                    {
                        for (int i = 0; i < f.Length; i++)
                        {
                            double a = x[2 * i], c = x[2 * i + 1];
                            f[i] = b[0] * Math.Exp(b[1] * a) + b[2] * c + b[3] * a * c;
                        }
                    },
                    analytic ? (b, x, j) =>
                    {
                        int n = x.Length / 2;
                        for (int i = 0; i < n; i++)
                        {
                            double a = x[2 * i], c = x[2 * i + 1], e = Math.Exp(b[1] * a);
                            j[4 * i] = e;
                            j[4 * i + 1] = b[0] * a * e;
                            j[4 * i + 2] = c;
                            j[4 * i + 3] = a * c;
                        }
                    }
                : null,
                    analytic ? (b, x, j) =>
                    {
                        int n = x.Length / 2;
                        for (int i = 0; i < n; i++)
                        {
                            double a = x[2 * i], c = x[2 * i + 1];
                            j[2 * i] = b[0] * b[1] * Math.Exp(b[1] * a) + b[3] * c;
                            j[2 * i + 1] = b[2] + b[3] * a;
                        }
                    }
                : null);
            case "tworesp":
                return new Model(
                    (b, x, f) =>
                    {
                        for (int i = 0; i < x.Length; i++)
                        {
                            f[2 * i] = b[0] + b[1] * x[i];
                            f[2 * i + 1] = b[2] * Math.Exp(b[3] * x[i]);
                        }
                    },
                    analytic ? (b, x, j) =>
                    {
                        for (int i = 0; i < x.Length; i++)
                        {
                            double e = Math.Exp(b[3] * x[i]);
                            var r = j.Slice(8 * i, 8);
                            r[0] = 1; r[1] = x[i]; r[2] = 0; r[3] = 0;
                            r[4] = 0; r[5] = 0; r[6] = e; r[7] = b[2] * x[i] * e;
                        }
                    }
                : null,
                    analytic ? (b, x, j) =>
                    {
                        for (int i = 0; i < x.Length; i++)
                        {
                            j[2 * i] = b[1];
                            j[2 * i + 1] = b[2] * b[3] * Math.Exp(b[3] * x[i]);
                        }
                    }
                : null);
            case "circle":
                return new Model(
                    (b, x, f) =>
                    {
                        for (int i = 0; i < f.Length; i++)
                        {
                            double u = x[2 * i] - b[0], v = x[2 * i + 1] - b[1];
                            f[i] = u * u + v * v - b[2] * b[2];
                        }
                    },
                    analytic ? (b, x, j) =>
                    {
                        int n = x.Length / 2;
                        for (int i = 0; i < n; i++)
                        {
                            j[3 * i] = -2 * (x[2 * i] - b[0]);
                            j[3 * i + 1] = -2 * (x[2 * i + 1] - b[1]);
                            j[3 * i + 2] = -2 * b[2];
                        }
                    }
                : null,
                    analytic ? (b, x, j) =>
                    {
                        int n = x.Length / 2;
                        for (int i = 0; i < n; i++)
                        {
                            j[2 * i] = 2 * (x[2 * i] - b[0]);
                            j[2 * i + 1] = 2 * (x[2 * i + 1] - b[1]);
                        }
                    }
                : null,
                    isImplicit: true);
            default:
                throw new InvalidOperationException(Name);
        }
    }

    /// <summary>A ready-to-run fit. Vectorized models opt in to parallel evaluation (they are pure).</summary>
    public ODR BuildOdr(bool analytic, int maxit = -1, int maxDegreeOfParallelism = -1)
    {
        var odr = new ODR(BuildData(), BuildModel(analytic), Beta0, maxit: maxit);
        if (analytic) odr.SetJob(deriv: 3);
        odr.MaxDegreeOfParallelism = maxDegreeOfParallelism;
        odr.ParallelModelEvaluation = true;
        return odr;
    }

    /// <summary>Writes x, y, sx, sy as raw doubles for numpy.fromfile.</summary>
    public void Write(string prefix)
    {
        WriteDoubles(prefix + ".x", X);
        if (Y != null) WriteDoubles(prefix + ".y", Y);
        if (Sx != null) WriteDoubles(prefix + ".sx", Sx);
        if (Sy != null) WriteDoubles(prefix + ".sy", Sy);
    }

    private static void WriteDoubles(string path, double[] v)
    {
        using var s = File.Create(path);
        s.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()));
    }
}
