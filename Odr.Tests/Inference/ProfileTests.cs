namespace Odr.Tests.Inference;

/// <summary>Profile-t intervals against R: the crossings found by uniroot over nls refits (exact), and
/// MASS::confint's spline through R's own profile (3–4 digits). Every side that R
/// located is compared (91 of the 100 exact bounds; MASS fails on Rat43 and Thurber).</summary>
public class ProfileTests
{
    public static IEnumerable<object[]> Cases => RReference.Names;

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProfileIntervalsMatchR(string name)
    {
        var c = RReference.Case(name);
        var odr = RReference.Fit(c);
        var inference = new FitInference(odr);
        foreach (var level in c.GetProperty("intervals").EnumerateArray())
        {
            double l = level.GetProperty("level").GetDouble();
            var exact = RReference.Pairs(level.GetProperty("exact_profile"));
            var mass = RReference.Pairs(level.GetProperty("mass_profile"));
            var wald = RReference.Pairs(level.GetProperty("wald"));
            var ours = inference.ProfileIntervals(l);
            Assert.Equal(IntervalMethod.Profile, ours.Method);
            for (int k = 0; k < exact.Length; k++)
            {
                double half = (wald[k][1] - wald[k][0]) / 2;
                Check(exact[k][0], ours[k].Lower, ours[k].LowerFound, 1e-5 * half, $"{name} {l} beta[{k}] lower");
                Check(exact[k][1], ours[k].Upper, ours[k].UpperFound, 1e-5 * half, $"{name} {l} beta[{k}] upper");
                if (!double.IsNaN(mass[k][0]) && ours[k].LowerFound) Assert.True(Math.Abs(mass[k][0] - ours[k].Lower) <= 5e-3 * half, $"{name} {l} beta[{k}] lower vs MASS: {mass[k][0]} {ours[k].Lower}");
                if (!double.IsNaN(mass[k][1]) && ours[k].UpperFound) Assert.True(Math.Abs(mass[k][1] - ours[k].Upper) <= 5e-3 * half, $"{name} {l} beta[{k}] upper vs MASS: {mass[k][1]} {ours[k].Upper}");
            }
        }
    }

    /// <summary>Where R's value is null its nls refits failed (Rat43, Thurber: Gauss-Newton cannot
    /// refit there), which says nothing about the profile, so there is nothing to compare.</summary>
    private static void Check(double expected, double actual, bool found, double tolerance, string what)
    {
        if (double.IsNaN(expected)) return;
        Assert.True(found, $"{what}: R found {expected}, we none");
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }

    [Fact]
    public void ALinearModelsProfileIsItsWaldInterval()
    {
        // For a model linear in beta fitted by OLS the profile t is exactly linear: both intervals agree.
        var x = Enumerable.Range(0, 10).Select(i => (double)i).ToArray();
        var y = x.Select(v => 1 + 0.5 * v + 0.3 * Math.Sin(3 * v)).ToArray();
        var odr = new ODR(new Data(x, y), new Model((b, v) => b[0] + b[1] * v), new[] { 1.0, 0.5 });
        odr.SetJob(fitType: 2);
        odr.Run();
        var inference = new FitInference(odr);
        var wald = inference.WaldIntervals(0.9);
        var profile = inference.ProfileIntervals(0.9);
        for (int k = 0; k < 2; k++)
        {
            double half = wald[k].Upper - wald[k].Estimate;
            Assert.Equal(wald[k].Lower, profile[k].Lower, 1e-6 * half);
            Assert.Equal(wald[k].Upper, profile[k].Upper, 1e-6 * half);
        }
    }

    [Fact]
    public void FixedParametersAreRefusedAndSkipped()
    {
        var x = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();
        var y = x.Select(v => 2 * Math.Exp(-0.3 * v) + 0.01 * Math.Cos(5 * v)).ToArray();
        var odr = new ODR(new Data(x, y), new Model((b, v) => b[0] * Math.Exp(-b[1] * v) + b[2]), new[] { 2.0, 0.3, 0.0 }, ifixb: new[] { 1, 1, 0 });
        odr.Run();
        var inference = new FitInference(odr);
        var e = Assert.Throws<ArgumentException>(() => inference.ProfileIntervals(0.95, new[] { 2 }));
        Assert.Contains("fixed", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => inference.ProfileIntervals(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => inference.ProfileIntervals(0.95, new[] { 3 }));
        var all = inference.ProfileIntervals(0.95);
        Assert.True(all[2].IsFixed);
        Assert.True(all[0].LowerFound && all[0].UpperFound && all[1].LowerFound && all[1].UpperFound);
        Assert.True(all[0].Lower < all[0].Estimate && all[0].Estimate < all[0].Upper);
    }

    [Fact]
    public void ABoundStopsASideAndSaysSo()
    {
        var x = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();
        var y = x.Select(v => 2 * Math.Exp(-0.3 * v) + 0.05 * Math.Cos(5 * v)).ToArray();
        var odr = new ODR(new Data(x, y), new Model((b, v) => b[0] * Math.Exp(-b[1] * v)), new[] { 2.0, 0.3 }, upper: new[] { 100, 0.301 });
        odr.SetJob(fitType: 2);
        var o = odr.Run();
        Assert.True(o.Beta[1] < 0.301);
        var profile = new FitInference(odr).ProfileIntervals(0.95, new[] { 1 });
        Assert.True(profile[1].LowerFound);
        Assert.False(profile[1].UpperFound);
        Assert.True(double.IsNaN(profile[1].Upper));
        Assert.Equal(0.301, profile[1].UpperReached);
        Assert.Contains("bound", profile[1].Note);
        Assert.Equal("not profiled", profile[0].Note);
    }

    [Fact]
    public void OdrProfileReoptimizesTheDeltas()
    {
        // For an ODR straight line the profile's sum of squares at a fixed slope b has a closed form:
        // min over the intercept and deltas of Σ (y − a − b x)² / (sy² + b² sx²) for constant sx, sy.
        var x = new[] { 0.0, 0.9, 1.8, 2.6, 3.3, 4.4, 5.2, 6.1, 6.5, 7.4 };
        var y = new[] { 5.9, 5.4, 4.4, 4.6, 3.5, 3.7, 2.8, 2.8, 2.4, 1.5 };
        const double sx = 0.3, sy = 0.2;
        var odr = new ODR(new RealData(x, y, sx: sx, sy: sy), new Model((b, v) => b[0] + b[1] * v), new[] { 6.0, -0.5 }, sstol: 1e-15, partol: 1e-15);
        var o = odr.Run();
        double S(double b)
        {
            double a = y.Zip(x, (yy, xx) => yy - b * xx).Average();
            return x.Select((xx, i) => Math.Pow(y[i] - a - b * xx, 2)).Sum() / (sy * sy + b * b * sx * sx);
        }
        double smin = S(o.Beta[1]);
        Assert.Equal(smin, o.SumSquare, 1e-9 * smin);
        double s = Math.Sqrt(smin / 8);
        double t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, 8, 0.975);
        // The crossing of the closed-form profile, by bisection here.
        double Root(double inside, double outside)
        {
            for (int i = 0; i < 200; i++)
            {
                double mid = 0.5 * (inside + outside);
                if (Math.Sqrt(S(mid) - smin) / s < t) inside = mid; else outside = mid;
            }
            return 0.5 * (inside + outside);
        }
        var profile = new FitInference(odr).ProfileIntervals(0.95, new[] { 1 });
        double half = t * o.SdBeta[1];
        Assert.Equal(Root(o.Beta[1], o.Beta[1] - 5 * half), profile[1].Lower, 1e-6 * half);
        Assert.Equal(Root(o.Beta[1], o.Beta[1] + 5 * half), profile[1].Upper, 1e-6 * half);
    }

    [Fact]
    public void ProgressAndCancellation()
    {
        var odr = RReference.Fit(RReference.Case("Misra1a"));
        var inference = new FitInference(odr);
        var reports = new List<InferenceProgress>();
        var progress = new SynchronousProgress(reports);
        inference.ProfileIntervals(0.95, null, default, progress);
        Assert.Equal(4, reports.Count);
        Assert.All(reports, r => Assert.Equal(4, r.Total));
        Assert.Equal(4, reports.Max(r => r.Completed));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => inference.ProfileIntervals(0.95, null, cts.Token));
    }

    internal sealed class SynchronousProgress(List<InferenceProgress> reports) : IProgress<InferenceProgress>
    {
        public void Report(InferenceProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
