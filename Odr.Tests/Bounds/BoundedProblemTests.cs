namespace Odr.Tests.Bounds;

/// <summary>
/// Bounded fits of several shapes (exponential decay, Gaussian peak, two inputs, an implicit circle;
/// forward, central and analytic derivatives; ODR, OLS and implicit) against the same problem with
/// the active parameter fixed at its bound through the unbounded solver: beta to 1e-6 relative or
/// 1e-3 standard errors, the weighted sum of squares to 1e-8 relative, and the KKT sign (moving the
/// parameter into the box, the others re-optimized, raises the sum of squares).
/// </summary>
public class BoundedProblemTests
{
    public sealed record Case(string Name, Func<double[], int[]?, double[]?, double[]?, ODR> Build, double[] Beta0, int Bounded, bool Upper, double Bound)
    {
        public override string ToString() => Name;
    }

    private static readonly double[] DecayX = { 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5 };
    private static readonly double[] DecayY = { 5.1, 3.9, 3.0, 2.4, 1.8, 1.45, 1.1, 0.85, 0.7, 0.5 };

    private static ODR Decay(double[] b0, int[]? ifixb, double[]? lower, double[]? upper, int fitType, int deriv)
    {
        var model = BoundsPropertyTests.Decay;
        var odr = new ODR(new RealData(DecayX, DecayY, sx: 0.05, sy: 0.1), model, b0, ifixb: ifixb, lower: lower, upper: upper, sstol: 1e-15, partol: 1e-15);
        odr.SetJob(fitType: fitType, deriv: deriv);
        return odr;
    }

    private static ODR Gauss(double[] b0, int[]? ifixb, double[]? lower, double[]? upper)
    {
        const int n = 40;
        var x = new double[n];
        var y = new double[n];
        var rng = new Random(11);
        for (int i = 0; i < n; i++)
        {
            x[i] = -4 + 8.0 * i / (n - 1);
            double u = (x[i] - 0.3) / 1.1;
            y[i] = 3 * Math.Exp(-0.5 * u * u) + 0.5 + 0.1 * (rng.NextDouble() - 0.5);
        }
        var model = new Model((b, t) =>
        {
            double u = (t - b[1]) / b[2];
            return b[0] * Math.Exp(-0.5 * u * u) + b[3];
        });
        var odr = new ODR(new Data(x, y), model, b0, ifixb: ifixb, lower: lower, upper: upper, sstol: 1e-15, partol: 1e-15);
        odr.SetJob(fitType: 2, deriv: 1);
        return odr;
    }

    private static ODR Plane(double[] b0, int[]? ifixb, double[]? lower, double[]? upper)
    {
        const int n = 25;
        var x = new double[2, n];
        var y = new double[n];
        var rng = new Random(3);
        for (int i = 0; i < n; i++)
        {
            x[0, i] = rng.NextDouble() * 4;
            x[1, i] = rng.NextDouble() * 3;
            y[i] = 1 + 0.8 * x[0, i] - 0.6 * x[1, i] + 0.2 * (rng.NextDouble() - 0.5);
        }
        var model = new Model((b, v, f) =>
        {
            for (int i = 0; i < f.Length; i++) f[i] = b[0] + b[1] * v[2 * i] + b[2] * v[2 * i + 1];
        });
        var odr = new ODR(new RealData(x, y, sx: new double[] { 0.05, 0.08 }, sy: 0.1), model, b0, ifixb: ifixb, lower: lower, upper: upper, sstol: 1e-15, partol: 1e-15);
        odr.SetJob(deriv: 0);
        return odr;
    }

    private static ODR Circle(double[] b0, int[]? ifixb, double[]? lower, double[]? upper)
    {
        var odr = Odr.Tests.Performance.PerfProblems.Circle(24, 1);
        odr.Beta0 = b0;
        odr.Ifixb = ifixb;
        odr.Lower = lower;
        odr.Upper = upper;
        odr.SetJob(fitType: 1, deriv: 1);
        return odr;
    }

    public static TheoryData<Case> Cases => new()
    {
        new Case("decay ODR forward, c >= 0.5", (b, f, lo, up) => Decay(b, f, lo, up, 0, 0), new[] { 4.0, -0.3, 0.6 }, 2, false, 0.5),
        new Case("decay ODR central, k <= -0.55", (b, f, lo, up) => Decay(b, f, lo, up, 0, 1), new[] { 4.0, -0.6, 0.0 }, 1, true, -0.55),
        new Case("decay ODR analytic, a <= 4", (b, f, lo, up) => Decay(b, f, lo, up, 0, 3), new[] { 3.5, -0.3, 0.0 }, 0, true, 4.0),
        new Case("decay OLS forward, c >= 0.5", (b, f, lo, up) => Decay(b, f, lo, up, 2, 0), new[] { 4.0, -0.3, 0.6 }, 2, false, 0.5),
        new Case("decay OLS analytic, start on the bound", (b, f, lo, up) => Decay(b, f, lo, up, 2, 3), new[] { 4.0, -0.3, 0.5 }, 2, false, 0.5),
        new Case("Gaussian OLS central, amplitude <= 2.5", Gauss, new[] { 2.0, 0.0, 1.0, 0.0 }, 0, true, 2.5),
        new Case("Gaussian OLS central, width >= 1.3", Gauss, new[] { 2.0, 0.0, 1.5, 0.0 }, 2, false, 1.3),
        new Case("two inputs ODR forward, b2 >= -0.4", Plane, new[] { 0.5, 1.0, 0.0 }, 2, false, -0.4),
        new Case("implicit circle central, r <= 2.9", Circle, new[] { 0.8, 1.7, 2.5 }, 2, true, 2.9),
        new Case("implicit circle central, x0 >= 1.2", Circle, new[] { 1.3, 1.7, 2.5 }, 0, false, 1.2),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BoundedFitMatchesTheFitWithTheParameterFixedAtItsBound(Case c)
    {
        int p = c.Beta0.Length;
        var lower = Enumerable.Repeat(double.NegativeInfinity, p).ToArray();
        var upper = Enumerable.Repeat(double.PositiveInfinity, p).ToArray();
        (c.Upper ? upper : lower)[c.Bounded] = c.Bound;

        var free = c.Build(c.Beta0, null, null, null).Run();
        Assert.True(c.Upper ? free.Beta[c.Bounded] > c.Bound : free.Beta[c.Bounded] < c.Bound, "the unbounded optimum must lie outside the box");

        var o = c.Build(c.Beta0, null, lower, upper).Run();
        Assert.True(o.Converged, string.Join("; ", o.StopReason));
        Assert.Equal(c.Bound, o.Beta[c.Bounded]);
        Assert.Equal(c.Upper ? ParameterStatus.AtUpperBound : ParameterStatus.AtLowerBound, o.Status[c.Bounded]);

        var ifixb = Enumerable.Range(0, p).Select(k => k == c.Bounded ? 0 : 1).ToArray();
        var start = (double[])c.Beta0.Clone();
        start[c.Bounded] = c.Bound;
        var f = c.Build(start, ifixb, null, null).Run();
        Assert.True(f.Converged);
        for (int k = 0; k < p; k++)
        {
            double tol = Math.Max(1e-6 * Math.Abs(f.Beta[k]), 1e-3 * f.SdBeta[k]);
            Assert.True(Math.Abs(f.Beta[k] - o.Beta[k]) <= tol, $"beta[{k}] {o.Beta[k]:R} vs fixed-at-bound {f.Beta[k]:R} (sd {f.SdBeta[k]:G3})");
        }
        Assert.True(Math.Abs(f.SumSquare - o.SumSquare) <= 1e-8 * f.SumSquare, $"SS {o.SumSquare:R} vs {f.SumSquare:R}");

        // KKT: into the box the sum of squares rises (the others re-optimized).
        var inside = (double[])f.Beta.Clone();
        inside[c.Bounded] = c.Bound + (c.Upper ? -1 : 1) * 1e-3 * Math.Max(Math.Abs(c.Bound), 1);
        Assert.True(c.Build(inside, ifixb, null, null).Run().SumSquare > f.SumSquare);
    }
}
