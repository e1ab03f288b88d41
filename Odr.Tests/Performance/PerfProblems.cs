namespace Odr.Tests.Performance;

/// <summary>Deterministic test problems for the performance tests.</summary>
internal static class PerfProblems
{
    public static ODR Line(int n, int dop)
    {
        var rng = new Random(1);
        var x = new double[n];
        var y = new double[n];
        var sx = new double[n];
        var sy = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = 10.0 * i / n;
            x[i] = t + 0.05 * (2 * rng.NextDouble() - 1);
            y[i] = 1 + 2 * t + 0.1 * (2 * rng.NextDouble() - 1);
            sx[i] = 0.05 + 0.01 * rng.NextDouble();
            sy[i] = 0.1 + 0.02 * rng.NextDouble();
        }
        return new ODR(new RealData(x, y, sx: sx, sy: sy), new Model((b, v) => b[0] + b[1] * v), new[] { 0.5, 1.5 }) { MaxDegreeOfParallelism = dop };
    }

    /// <summary>The data of <see cref="Exp"/>: y = 2·exp(1.3·t) + 0.5 with noise on x and y.</summary>
    public static (double[] X, double[] Y) ExpData(int n)
    {
        var rng = new Random(2);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = 2.0 * i / n;
            x[i] = t + 0.01 * (2 * rng.NextDouble() - 1);
            y[i] = 2 * Math.Exp(1.3 * t) + 0.5 + 0.05 * (2 * rng.NextDouble() - 1);
        }
        return (x, y);
    }

    /// <summary>The exponential model b0·exp(b1·x) + b2 of <see cref="Exp"/>, per observation.</summary>
    public static Model ExpModel => new((b, v) => b[0] * Math.Exp(b[1] * v) + b[2]);

    public static ODR Exp(int n, int dop, int maxit = -1, bool tinyTolerances = false, bool central = false)
    {
        var (x, y) = ExpData(n);
        var odr = new ODR(new Data(x, y), ExpModel, new[] { 1.5, 1.0, 0.0 }, maxit: maxit, sstol: tinyTolerances ? 1e-300 : -1, partol: tinyTolerances ? 1e-300 : -1) { MaxDegreeOfParallelism = dop };
        if (central) odr.SetJob(deriv: 1);
        return odr;
    }

    /// <summary>Two inputs, four parameters, vectorized, with analytic derivatives when asked.</summary>
    public static ODR TwoInput(int n, int dop, bool analytic, bool parallelModel = true)
    {
        var rng = new Random(3);
        var x = new double[2, n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double a = rng.NextDouble(), c = rng.NextDouble();
            x[0, i] = a + 0.01 * (2 * rng.NextDouble() - 1);
            x[1, i] = c + 0.01 * (2 * rng.NextDouble() - 1);
            y[i] = Math.Exp(0.8 * a) + 2 * c + 0.5 * a * c + 0.02 * (2 * rng.NextDouble() - 1);
        }
        var model = new Model(
            (b, v, f) =>
            {
                for (int i = 0; i < f.Length; i++) f[i] = b[0] * Math.Exp(b[1] * v[2 * i]) + b[2] * v[2 * i + 1] + b[3] * v[2 * i] * v[2 * i + 1];
            },
            (b, v, j) =>
            {
                for (int i = 0; i < v.Length / 2; i++)
                {
                    double a = v[2 * i], c = v[2 * i + 1], e = Math.Exp(b[1] * a);
                    j[4 * i] = e;
                    j[4 * i + 1] = b[0] * a * e;
                    j[4 * i + 2] = c;
                    j[4 * i + 3] = a * c;
                }
            },
            (b, v, j) =>
            {
                for (int i = 0; i < v.Length / 2; i++)
                {
                    double a = v[2 * i], c = v[2 * i + 1];
                    j[2 * i] = b[0] * b[1] * Math.Exp(b[1] * a) + b[3] * c;
                    j[2 * i + 1] = b[2] + b[3] * a;
                }
            });
        var odr = new ODR(new Data(x, y, wd: new double[] { 2.0, 0.5 }), model, new[] { 0.8, 1.0, 1.5, 0.3 }) { MaxDegreeOfParallelism = dop, ParallelModelEvaluation = parallelModel };
        if (analytic) odr.SetJob(deriv: 3);
        return odr;
    }

    /// <summary>Two responses with a full WE block per observation.</summary>
    public static ODR TwoResponse(int n, int dop)
    {
        var rng = new Random(4);
        var x = new double[n];
        var y = new double[2, n];
        var we = new double[2, 2, n];
        for (int i = 0; i < n; i++)
        {
            double t = 1.0 * i / n;
            x[i] = t + 0.01 * (2 * rng.NextDouble() - 1);
            y[0, i] = 1 + 2 * t + 0.02 * (2 * rng.NextDouble() - 1);
            y[1, i] = 0.5 * Math.Exp(1.2 * t) + 0.02 * (2 * rng.NextDouble() - 1);
            we[0, 0, i] = 2 + rng.NextDouble();
            we[1, 1, i] = 1 + rng.NextDouble();
            we[0, 1, i] = we[1, 0, i] = 0.3;
        }
        var model = new Model((b, v, f) =>
        {
            for (int i = 0; i < v.Length; i++)
            {
                f[2 * i] = b[0] + b[1] * v[i];
                f[2 * i + 1] = b[2] * Math.Exp(b[3] * v[i]);
            }
        });
        return new ODR(new Data(x, y, we: we), model, new[] { 0.8, 1.8, 0.6, 1.0 }) { MaxDegreeOfParallelism = dop, ParallelModelEvaluation = true };
    }

    /// <summary>Implicit circle, central differences.</summary>
    public static ODR Circle(int n, int dop)
    {
        var rng = new Random(5);
        var x = new double[2, n];
        for (int i = 0; i < n; i++)
        {
            double phi = 2 * Math.PI * i / n;
            x[0, i] = 1 + 3 * Math.Cos(phi) + 0.05 * (2 * rng.NextDouble() - 1);
            x[1, i] = 2 + 3 * Math.Sin(phi) + 0.05 * (2 * rng.NextDouble() - 1);
        }
        var model = new Model(
            (b, v, f) =>
            {
                for (int i = 0; i < f.Length; i++)
                {
                    double u = v[2 * i] - b[0], w = v[2 * i + 1] - b[1];
                    f[i] = u * u + w * w - b[2] * b[2];
                }
            },
            isImplicit: true);
        var odr = new ODR(new Data(x), model, new[] { 0.8, 1.7, 2.5 }) { MaxDegreeOfParallelism = dop, ParallelModelEvaluation = true };
        odr.SetJob(deriv: 1);
        return odr;
    }
}
