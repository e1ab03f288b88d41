using Odr.Tests.Support;

namespace Odr.Tests.Bounds;

/// <summary>
/// The default bounds method reaches the constrained optimum. Each case is checked against
/// computations that do not involve the bounded code path: the same problem with the active
/// parameters fixed at their bounds (ifixb, through the unbounded solver that is bit-identical to
/// ODRPACK 2.01), the KKT sign of the profile sum of squares at each active bound, and for straight
/// lines the closed form with the deltas eliminated, S(b) = Σ r² / (1/we + b1²/wd).
/// </summary>
public class ActiveSetBoundsTests
{
    internal static readonly double[] PearsonX = { 0.0, 0.9, 1.8, 2.6, 3.3, 4.4, 5.2, 6.1, 6.5, 7.4 };
    internal static readonly double[] PearsonY = { 5.9, 5.4, 4.4, 4.6, 3.5, 3.7, 2.8, 2.8, 2.4, 1.5 };
    internal static readonly double[] PearsonWx = { 1000, 1000, 500, 800, 200, 80, 60, 20, 1.8, 1 };
    internal static readonly double[] PearsonWy = { 1, 1.8, 4, 8, 20, 20, 70, 70, 100, 500 };

    internal static Data Pearson() => new(PearsonX, PearsonY, we: PearsonWy, wd: PearsonWx);

    internal static Model Line => new((b, x) => b[0] + b[1] * x);

    /// <summary>Closed form for the straight line with b1 given: the deltas eliminated, the sum of
    /// squares is Σ W_i (y_i − b0 − b1 x_i)² with W_i = 1/(1/wy_i + b1²/wx_i), minimized by the
    /// W-weighted mean of y − b1 x.</summary>
    internal static (double B0, double Ss) PearsonLineWithSlope(double b1)
    {
        double sw = 0, swr = 0;
        var w = new double[PearsonX.Length];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = 1 / (1 / PearsonWy[i] + b1 * b1 / PearsonWx[i]);
            sw += w[i];
            swr += w[i] * (PearsonY[i] - b1 * PearsonX[i]);
        }
        double b0 = swr / sw, ss = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double r = PearsonY[i] - b0 - b1 * PearsonX[i];
            ss += w[i] * r * r;
        }
        return (b0, ss);
    }

    [Theory]
    [InlineData(0, new[] { 5.0, -0.6 })] // forward differences, start inside
    [InlineData(1, new[] { 5.0, -0.6 })] // central differences
    [InlineData(0, new[] { 5.0, -0.5 })] // start on the active bound (ODRPACK95: INFO 60000, beta0 back)
    public void PearsonWithSlopeBoundedReachesTheConstrainedOptimum(int deriv, double[] beta0)
    {
        var odr = new ODR(Pearson(), Line, beta0, upper: new[] { double.PositiveInfinity, -0.5 });
        odr.SetJob(deriv: deriv);
        var o = odr.Run();

        Assert.True(o.Converged, string.Join("; ", o.StopReason));
        Assert.Equal(-0.5, o.Beta[1]);
        Assert.Equal(ParameterStatus.AtUpperBound, o.Status[1]);
        Assert.Equal(ParameterStatus.Free, o.Status[0]);

        // Closed form: B0 = 5.574606 at B1 = -0.5, SS = 11.978 (the figures).
        var (b0, ss) = PearsonLineWithSlope(-0.5);
        Assert.Equal(b0, o.Beta[0], b0 * 1e-6);
        Assert.Equal(ss, o.SumSquare, ss * 1e-8);
        Assert.Equal(5.574606, o.Beta[0], 1e-6);

        // The same fit with B1 fixed at the bound.
        var fixedFit = new ODR(Pearson(), Line, new[] { beta0[0], -0.5 }, ifixb: new[] { 1, 0 });
        fixedFit.SetJob(deriv: deriv);
        var f = fixedFit.Run();
        Assert.Equal(f.Beta[0], o.Beta[0], Math.Max(1e-6 * Math.Abs(f.Beta[0]), 1e-3 * f.SdBeta[0]));
        Assert.Equal(f.SumSquare, o.SumSquare, f.SumSquare * 1e-8);

        // KKT: the profile sum of squares falls into the box (b1 > -0.5), not out of it.
        Assert.True(PearsonLineWithSlope(-0.5 - 1e-4).Ss > ss);
        Assert.True(PearsonLineWithSlope(-0.5 + 1e-4).Ss < ss);

        // Inference conditional on the bound: B1 as fixed.
        Assert.Equal(0.0, o.SdBeta[1]);
        Assert.Equal(f.SdBeta[0], o.SdBeta[0], f.SdBeta[0] * 1e-5);
        Assert.Equal(f.DegreesOfFreedom, o.DegreesOfFreedom);
        var ci = o.ConfidenceIntervals();
        Assert.True(double.IsNaN(ci[1].Lower) && double.IsNaN(ci[1].Upper));
        Assert.True(ci[0].Lower < o.Beta[0] && o.Beta[0] < ci[0].Upper);
    }

    [Fact]
    public void Misra1aOlsWithAnUpperBoundReachesTheConstrainedOptimum()
    {
        var c = ReferenceCases.Get("nist_Misra1a_ols_start1");
        double[] x = c.GetProperty("x").Doubles(), y = c.GetProperty("y").Doubles();
        var model = new Model((b, t) => b[0] * (1.0 - Math.Exp(-b[1] * t)));
        var odr = new ODR(new Data(x, y), model, new[] { 200.0, 0.0001 }, upper: new[] { 230.0, double.PositiveInfinity });
        odr.SetJob(fitType: 2, deriv: 1);
        var o = odr.Run();
        Assert.True(o.Converged, string.Join("; ", o.StopReason));
        Assert.Equal(230.0, o.Beta[0]);

        var fixedFit = new ODR(new Data(x, y), model, new[] { 230.0, 0.0001 }, ifixb: new[] { 0, 1 });
        fixedFit.SetJob(fitType: 2, deriv: 1);
        var f = fixedFit.Run();
        Assert.Equal(f.Beta[1], o.Beta[1], Math.Max(1e-6 * Math.Abs(f.Beta[1]), 1e-3 * f.SdBeta[1]));
        Assert.Equal(f.SumSquare, o.SumSquare, f.SumSquare * 1e-8);
        Assert.Equal(0.2476, o.SumSquare, 1e-3); // the figure (ODRPACK95 stops at 45.1)

        // KKT: raising B0 above the bound (b1 re-optimized) would lower the sum of squares.
        var above = new ODR(new Data(x, y), model, new[] { 231.0, f.Beta[1] }, ifixb: new[] { 0, 1 });
        above.SetJob(fitType: 2, deriv: 1);
        Assert.True(above.Run().SumSquare < f.SumSquare);
    }

    [Fact]
    public void LowerEqualToUpperFixesTheParameter()
    {
        var o = new ODR(Pearson(), Line, new[] { 5.0, -0.5 }, lower: new[] { double.NegativeInfinity, -0.5 }, upper: new[] { double.PositiveInfinity, -0.5 }).Run();
        var f = new ODR(Pearson(), Line, new[] { 5.0, -0.5 }, ifixb: new[] { 1, 0 }).Run();
        Assert.Equal(f.Beta, o.Beta);
        Assert.Equal(f.SdBeta, o.SdBeta);
        Assert.Equal(ParameterStatus.Fixed, o.Status[1]);
    }

    [Fact]
    public void InactiveBoundsGiveTheUnboundedFitBitForBit()
    {
        var free = new ODR(Pearson(), Line, new[] { 5.0, -0.6 }).Run();
        var boxed = new ODR(Pearson(), Line, new[] { 5.0, -0.6 }, lower: new[] { 0.0, -10 }, upper: new[] { 10.0, 10 }).Run();
        Assert.Equal(free.Beta, boxed.Beta);
        Assert.Equal(free.SdBeta, boxed.SdBeta);
        Assert.Equal(free.SumSquare, boxed.SumSquare);
        Assert.Equal(free.Iterations, boxed.Iterations);
        Assert.All(boxed.Status, s => Assert.Equal(ParameterStatus.Free, s));
    }

    [Fact]
    public void TheOdrpack95MethodStillStopsShortOfTheOptimum()
    {
        // The documented failure mode of the compatibility method: the Pearson case.
        var odr = new ODR(Pearson(), Line, new[] { 5.0, -0.6 }, upper: new[] { double.PositiveInfinity, -0.5 }) { BoundsMethod = BoundsMethod.Odrpack95 };
        var o = odr.Run();
        Assert.True(o.SumSquare > 2 * PearsonLineWithSlope(-0.5).Ss, $"SS {o.SumSquare}");
    }
}
