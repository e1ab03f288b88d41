namespace Odr.Plots.Tests;

/// <summary>Small known fits shared by the tests.</summary>
internal static class Fits
{
    /// <summary>A straight line through 12 points with errors in x and y.</summary>
    public static (RealData Data, Model Model, Output Output) Line(int n = 12)
    {
        var rng = new Random(7);
        var x = new double[n];
        var y = new double[n];
        var sx = new double[n];
        var sy = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = i * 10.0 / Math.Max(n - 1, 1);
            sx[i] = 0.15 + 0.05 * (i % 3);
            sy[i] = 0.3 + 0.1 * (i % 2);
            x[i] = t + sx[i] * Normal(rng);
            y[i] = 2 * t + 1 + sy[i] * Normal(rng);
        }
        var data = new RealData(x, y, sx: sx, sy: sy);
        var model = new Model((b, t) => b[0] * t + b[1]);
        var output = new ODR(data, model, new[] { 1.0, 0.0 }).Run();
        return (data, model, output);
    }

    /// <summary>Exponential decay with errors in both variables.</summary>
    public static (RealData Data, Model Model, Output Output) Decay(int n = 20)
    {
        var rng = new Random(3);
        var x = new double[n];
        var y = new double[n];
        var sx = new double[n];
        var sy = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = 0.25 + i * 4.0 / (n - 1);
            sx[i] = 0.08;
            sy[i] = 0.15 + 0.03 * (i % 4);
            x[i] = t + sx[i] * Normal(rng);
            y[i] = 5 * Math.Exp(-0.6 * t) + 0.5 + sy[i] * Normal(rng);
        }
        var data = new RealData(x, y, sx: sx, sy: sy);
        var model = new Model((b, t) => b[0] * Math.Exp(-b[1] * t) + b[2]);
        var output = new ODR(data, model, new[] { 4.0, 0.5, 0.0 }).Run();
        return (data, model, output);
    }

    /// <summary>An ellipse through noisy points: implicit, two inputs.</summary>
    public static (RealData Data, Model Model, Output Output) Ellipse(int n = 24)
    {
        var rng = new Random(11);
        var x = new double[2, n];
        for (int i = 0; i < n; i++)
        {
            double a = 2 * Math.PI * i / n;
            x[0, i] = 1 + 3 * Math.Cos(a) + 0.08 * Normal(rng);
            x[1, i] = -0.5 + 2 * Math.Sin(a) + 0.08 * Normal(rng);
        }
        var data = new RealData(x, null, sx: new[] { 0.08, 0.08 });
        var model = new Model(
            (b, xs, f) =>
            {
                for (int i = 0; i < f.Length; i++)
                {
                    double u = (xs[2 * i] - b[0]) / b[2], v = (xs[2 * i + 1] - b[1]) / b[3];
                    f[i] = u * u + v * v - 1;
                }
            },
            isImplicit: true);
        var output = new ODR(data, model, new[] { 0.8, -0.3, 2.5, 2.2 }).Run();
        return (data, model, output);
    }

    /// <summary>Two responses sharing parameters: y0 = b0 + b1 x, y1 = b0 − b2 x.</summary>
    public static (RealData Data, Model Model, Output Output) TwoResponses(int n = 15)
    {
        var rng = new Random(5);
        var x = new double[n];
        var y = new double[2, n];
        for (int i = 0; i < n; i++)
        {
            x[i] = i * 0.5 + 0.05 * Normal(rng);
            y[0, i] = 1 + 0.8 * i * 0.5 + 0.2 * Normal(rng);
            y[1, i] = 1 - 0.4 * i * 0.5 + 0.2 * Normal(rng);
        }
        var data = new RealData(x, y, sx: 0.05, sy: new[] { 0.2, 0.2 });
        var model = new Model(
            (b, xs, f) =>
            {
                for (int i = 0; i < xs.Length; i++)
                {
                    f[2 * i] = b[0] + b[1] * xs[i];
                    f[2 * i + 1] = b[0] - b[2] * xs[i];
                }
            });
        var output = new ODR(data, model, new[] { 0.5, 0.5, 0.5 }).Run();
        return (data, model, output);
    }

    /// <summary>Two inputs, one response: y = b0 + b1 x0 + b2 x1.</summary>
    public static (RealData Data, Model Model, Output Output) Plane(int n = 30)
    {
        var rng = new Random(9);
        var x = new double[2, n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[0, i] = rng.NextDouble() * 4;
            x[1, i] = rng.NextDouble() * 2;
            y[i] = 1 + 2 * x[0, i] - 3 * x[1, i] + 0.1 * Normal(rng);
        }
        var data = new RealData(x, y, sx: new[] { 0.02, 0.02 }, sy: 0.1);
        var model = new Model(
            (b, xs, f) =>
            {
                for (int i = 0; i < f.Length; i++) f[i] = b[0] + b[1] * xs[2 * i] + b[2] * xs[2 * i + 1];
            });
        var output = new ODR(data, model, new[] { 0.0, 1.0, -1.0 }).Run();
        return (data, model, output);
    }

    /// <summary>A line with large errors in x fitted by ODR and by OLS (which flattens the slope).</summary>
    public static (RealData Data, Model Model, Output Odr, Output Ols) OdrAndOls()
    {
        var rng = new Random(2);
        const int n = 25;
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = i * 0.4 + 1.5 * Normal(rng);
            y[i] = 2 * i * 0.4 + 1 + 0.1 * Normal(rng);
        }
        var data = new RealData(x, y, sx: 1.5, sy: 0.1);
        var model = new Model((b, t) => b[0] * t + b[1]);
        var odr = new ODR(data, model, new[] { 1.0, 0.0 }).Run();
        var ols = new ODR(data, model, new[] { 1.0, 0.0 });
        ols.SetJob(fitType: 2);
        return (data, model, odr, ols.Run());
    }

    public static double Normal(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
