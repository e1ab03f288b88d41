namespace Odr.Tests.Inference;

/// <summary>Bootstrap: reproducibility, the jackknife against the closed-form leave-one-out estimates
/// of a straight line, and the spread of the replicates against the Wald standard errors.</summary>
public class BootstrapTests
{
    private static ODR Line(int fitType, int n = 30)
    {
        var x = Enumerable.Range(0, n).Select(i => 0.3 * i).ToArray();
        var rng = new Random(11);
        var y = x.Select(v => 1.5 - 0.8 * v + 0.2 * Normal(rng)).ToArray();
        var xo = x.Select(v => v + (fitType == 0 ? 0.1 * Normal(rng) : 0)).ToArray();
        var odr = new ODR(new RealData(xo, y, sx: fitType == 0 ? 0.1 : null, sy: 0.2), new Model((b, v) => b[0] + b[1] * v), new[] { 1.5, -0.8 });
        odr.SetJob(fitType: fitType);
        odr.Run();
        return odr;
    }

    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Fact]
    public void TheSameSeedGivesTheSameReplicatesWhateverTheParallelism()
    {
        var inference = new FitInference(Line(2));
        var serial = inference.Bootstrap(new BootstrapOptions { Samples = 40, Seed = 7, MaxDegreeOfParallelism = 1 });
        var parallel = inference.Bootstrap(new BootstrapOptions { Samples = 40, Seed = 7 });
        var other = inference.Bootstrap(new BootstrapOptions { Samples = 40, Seed = 8 });
        Assert.Equal(serial.Replicates(), parallel.Replicates());
        Assert.NotEqual(serial.Replicates(), other.Replicates());
        Assert.Equal(40, serial.Succeeded);
        Assert.Equal(0, serial.Failed);
    }

    [Fact]
    public void JackknifeOfALineIsTheClosedFormLeaveOneOut()
    {
        // theta_(i) = theta − (XᵀX)⁻¹ x_i e_i / (1 − h_ii) for least squares (x_i = (1, x_i), e = y − ŷ).
        var odr = Line(2, 12);
        var o = odr.Output!;
        var result = new FitInference(odr).Bootstrap(new BootstrapOptions { Samples = 10, Jackknife = true });
        var jack = result.JackknifeEstimates()!;
        int n = odr.Data.N;
        var design = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, 2, (i, c) => c == 0 ? 1 : odr.Data.GetX(0, i));
        var inv = design.TransposeThisAndMultiply(design).Inverse();
        for (int i = 0; i < n; i++)
        {
            var xi = design.Row(i);
            double h = xi * inv * xi;
            double e = odr.Data.GetY(0, i) - (o.Beta[0] + o.Beta[1] * odr.Data.GetX(0, i));
            var delta = inv * xi * (e / (1 - h));
            Assert.Equal(o.Beta[0] - delta[0], jack[i, 0], 1e-7);
            Assert.Equal(o.Beta[1] - delta[1], jack[i, 1], 1e-7);
        }
        Assert.All(result.Acceleration(), a => Assert.True(Math.Abs(a) < 0.2));
    }

    [Theory]
    [InlineData(2, BootstrapResampling.Residual)]
    [InlineData(2, BootstrapResampling.Parametric)]
    [InlineData(0, BootstrapResampling.Residual)]
    [InlineData(0, BootstrapResampling.Parametric)]
    public void ReplicatesSpreadAsTheWaldStandardErrors(int fitType, BootstrapResampling resampling)
    {
        var odr = Line(fitType);
        var inference = new FitInference(odr);
        var result = inference.Bootstrap(new BootstrapOptions { Samples = 400, Seed = 3, Resampling = resampling, Jackknife = true });
        Assert.Equal(0, result.Failed);
        var se = result.StandardErrors();
        var wald = inference.WaldIntervals(0.9);
        var percentile = result.PercentileIntervals(0.9);
        var bca = result.BcaIntervals(0.9);
        for (int k = 0; k < 2; k++)
        {
            // The sampling error of a standard deviation from 400 replicates is about 3.5 %.
            Assert.InRange(se[k] / odr.Output!.SdBeta[k], 0.85, 1.15);
            double half = wald[k].Upper - wald[k].Estimate;
            Assert.InRange(percentile[k].Lower, wald[k].Lower - 0.2 * half, wald[k].Lower + 0.2 * half);
            Assert.InRange(percentile[k].Upper, wald[k].Upper - 0.2 * half, wald[k].Upper + 0.2 * half);
            Assert.InRange(bca[k].Lower, wald[k].Lower - 0.25 * half, wald[k].Lower + 0.25 * half);
            Assert.InRange(bca[k].Upper, wald[k].Upper - 0.25 * half, wald[k].Upper + 0.25 * half);
            Assert.Equal(IntervalMethod.BootstrapBca, bca.Method);
            Assert.Equal("bootstrap", bca.MethodName);
        }
    }

    [Fact]
    public void PercentilesAreRsType7Quantiles()
    {
        // R: quantile(c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3), c(0.025, 0.5, 0.975)) = 1.000 3.500 8.325
        var sorted = new double[] { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3 };
        Array.Sort(sorted);
        Assert.Equal(1.0, BootstrapResult.Quantile(sorted, 0.025), 1e-12);
        Assert.Equal(3.5, BootstrapResult.Quantile(sorted, 0.5), 1e-12);
        Assert.Equal(8.325, BootstrapResult.Quantile(sorted, 0.975), 1e-12);
    }

    [Fact]
    public void BadInputProgressAndCancellation()
    {
        var odr = Line(2, 10);
        var inference = new FitInference(odr);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => inference.Bootstrap(new BootstrapOptions { Samples = 9 }));
        Assert.Contains("at least 10", e.Message);
        var result = inference.Bootstrap(new BootstrapOptions { Samples = 10 });
        Assert.Throws<InvalidOperationException>(() => result.BcaIntervals());
        Assert.Throws<ArgumentOutOfRangeException>(() => result.PercentileIntervals(1));
        var reports = new List<InferenceProgress>();
        inference.Bootstrap(new BootstrapOptions { Samples = 20, Jackknife = true }, default, new ProfileTests.SynchronousProgress(reports));
        Assert.Equal(30, reports.Count);
        Assert.All(reports, r => Assert.Equal(30, r.Total));
        Assert.Equal(30, reports.Max(r => r.Completed));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => inference.Bootstrap(new BootstrapOptions { Samples = 20 }, cts.Token));
        var fixedFit = new ODR(odr.Data, new Model((b, v) => b[0] + b[1] * v), new[] { 1.5, -0.8 }, ifixb: new[] { 1, 0 });
        fixedFit.SetJob(fitType: 2);
        fixedFit.Run();
        var intervals = new FitInference(fixedFit).Intervals(IntervalMethod.BootstrapPercentile, 0.95, new BootstrapOptions { Samples = 20 });
        Assert.True(intervals[1].IsFixed);
        Assert.True(intervals[0].Lower < intervals[0].Upper);
    }
}
