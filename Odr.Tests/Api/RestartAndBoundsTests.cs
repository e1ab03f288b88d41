using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Tests.Support;

namespace Odr.Tests.Api;

/// <summary>Restart (continuing a fit from its saved state) and bounds on beta (ODRPACK95).</summary>
public class RestartAndBoundsTests
{
    private static readonly double[] X = { 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5 };
    private static readonly double[] Y = { 5.1, 3.9, 3.0, 2.4, 1.8, 1.45, 1.1, 0.85, 0.7, 0.5 };

    private static Model Decay => new((b, x) => b[0] * Math.Exp(b[1] * x) + b[2]);

    private static ODR DecayFit(int maxit = -1, double[]? lower = null, double[]? upper = null, double[]? beta0 = null) =>
        new(new RealData(X, Y, sx: 0.05, sy: 0.1), Decay, beta0 ?? new[] { 4.0, -0.3, 0.0 }, maxit: maxit, lower: lower, upper: upper);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RestartContinuesExactlyAsOneUninterruptedRun(int firstIterations)
    {
        var whole = DecayFit().Run();
        var odr = DecayFit(maxit: firstIterations);
        var first = odr.Run();
        Assert.Equal(4, first.Info % 10);
        Assert.Equal(firstIterations, first.Iterations);
        var rest = odr.Restart(50);
        Assert.Equal(whole.Iterations, rest.Iterations);
        Assert.Equal(whole.Info, rest.Info);
        for (int k = 0; k < 3; k++)
        {
            Assert.True(Math.Abs(whole.Beta[k] - rest.Beta[k]) <= 1e-12 * Math.Abs(whole.Beta[k]), $"beta[{k}]: {rest.Beta[k]:R} vs {whole.Beta[k]:R}");
            Assert.True(Math.Abs(whole.SdBeta[k] - rest.SdBeta[k]) <= 1e-12 * Math.Abs(whole.SdBeta[k]), $"sd[{k}]");
        }
        Assert.True(Math.Abs(whole.SumSquare - rest.SumSquare) <= 1e-12 * whole.SumSquare);
        Assert.True(Math.Abs(whole.SumSquareDelta - rest.SumSquareDelta) <= 1e-12 * whole.SumSquareDelta);
    }

    [Fact]
    public void RestartOfAConvergedFitKeepsTheAnswer()
    {
        var odr = DecayFit();
        var first = odr.Run();
        var again = odr.Restart(5);
        Assert.True(again.Converged);
        // Further iterations only refine within the convergence tolerance: far below the standard errors.
        for (int k = 0; k < 3; k++) Assert.Equal(first.Beta[k], again.Beta[k], 1e-3 * first.SdBeta[k]);
    }

    [Fact]
    public void OptimumOutsideTheBoxEndsOnTheBound()
    {
        var free = DecayFit().Run();
        double bound = free.Beta[2] + 0.3; // the offset is forced above its optimum
        var o = DecayFit(lower: new[] { double.NegativeInfinity, double.NegativeInfinity, bound }, beta0: new[] { 4.0, -0.3, bound + 0.1 }).Run();
        Assert.Equal(bound, o.Beta[2], 1e-12);
        Assert.True(o.SumSquare > free.SumSquare);
        Assert.True(o.Info < 10000, $"info {o.Info}");
    }

    [Fact]
    public void LooseBoundsChangeNothing()
    {
        var free = DecayFit().Run();
        var boxed = DecayFit(lower: new[] { -100.0, -100, -100 }, upper: new[] { 100.0, 100, 100 }).Run();
        Assert.Equal(free.Iterations, boxed.Iterations);
        for (int k = 0; k < 3; k++) Assert.Equal(free.Beta[k], boxed.Beta[k], 1e-10 * Math.Abs(free.Beta[k]));
    }

    /// <summary>Over random boxes around a random start: every point at which the model is evaluated
    /// (iterates, finite differences, noise estimate) lies inside the box, and so does the answer.</summary>
    [Property(MaxTest = 25)]
    public Property EveryEvaluationStaysInsideRandomBoxes() => Prop.ForAll(Arbitraries.Seeds, seed =>
    {
        var r = new Random(seed);
        var lower = new[] { 1 + 2 * r.NextDouble(), -1.0 + 0.6 * r.NextDouble(), -0.5 * r.NextDouble() };
        var upper = new[] { lower[0] + 0.5 + 3 * r.NextDouble(), lower[1] + 0.05 + 0.6 * r.NextDouble(), 0.1 + 0.5 * r.NextDouble() };
        var beta0 = Enumerable.Range(0, 3).Select(k => lower[k] + (upper[k] - lower[k]) * (0.1 + 0.8 * r.NextDouble())).ToArray();
        string? violation = null;
        var model = new Model((b, x) =>
        {
            for (int k = 0; k < 3; k++)
            {
                if (b[k] < lower[k] || b[k] > upper[k]) violation ??= $"beta[{k}] = {b[k]:R} outside [{lower[k]:R}, {upper[k]:R}]";
            }
            return b[0] * Math.Exp(b[1] * x) + b[2];
        });
        var odr = new ODR(new RealData(X, Y, sx: 0.05, sy: 0.1), model, beta0, lower: lower, upper: upper);
        odr.SetJob(deriv: r.Next(2));
        var o = odr.Run();
        bool inside = o.Beta.Select((b, k) => b >= lower[k] && b <= upper[k]).All(v => v);
        return (violation is null && inside).Label(violation ?? $"answer outside the box: {string.Join(", ", o.Beta)}");
    });
}

/// <summary>Covariance modes and maxit = 0, against scipy.odr 1.10.1 on the same decay problem (beta to
/// 1e-6, standard errors and variances to 1e-5 relative (2e-5 with the last iteration's Jacobian): the model uses exp, whose last bit differs
/// between numpy's vectorized version and the C library's).</summary>
public class CovarianceModeTests
{
    private static readonly double[] X = { 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5 };
    private static readonly double[] Y = { 5.1, 3.9, 3.0, 2.4, 1.8, 1.45, 1.1, 0.85, 0.7, 0.5 };

    private static ODR Fit(int maxit = -1, int? job = null) =>
        new(new RealData(X, Y, sx: 0.05, sy: 0.1), new Model((b, x) => b[0] * Math.Exp(b[1] * x) + b[2]), new[] { 4.0, -0.3, 0.0 }, maxit: maxit, job: job);

    [Fact]
    public void MaxitZeroGivesTheCovarianceAtBeta0()
    {
        var o = Fit(maxit: 0).Run();
        Assert.Equal(4, o.Info);
        Assert.Equal(0, o.Iterations);
        Assert.Equal(new[] { 4.0, -0.3, 0.0 }, o.Beta);
        Assert.Equal(2.5202523301073727, o.SdBeta[0], 2.6e-5);
        Assert.Equal(0.3877870688052565, o.SdBeta[1], 3.9e-6);
        Assert.Equal(2.791981906770363, o.SdBeta[2], 2.8e-5);
        Assert.Equal(41.63825949736342, o.ResVar, 4.2e-4);
        Assert.Equal(0.021760540860607257, o.CovBeta[0, 1], 2.2e-7);
    }

    [Fact]
    public void VarCalcOneUsesTheLastJacobian()
    {
        var o = Fit(job: 100).Run();
        Assert.Equal(1, o.Info);
        Assert.Equal(5.0395540038657165, o.Beta[0], 1e-6);
        Assert.Equal(0.048770487139257974, o.SdBeta[0], 9.8e-7);
        Assert.Equal(0.014485667136561834, o.SdBeta[1], 2.9e-7);
        Assert.Equal(0.08681383768629981, o.ResVar, 8.7e-7);
    }

    [Fact]
    public void VarCalcTwoReturnsZeros()
    {
        var o = Fit(job: 200).Run();
        Assert.Equal(1, o.Info);
        Assert.Equal(5.0395540038657165, o.Beta[0], 1e-6);
        Assert.All(o.SdBeta, v => Assert.Equal(0.0, v));
        Assert.Equal(0.0, o.ResVar);
        Assert.Equal(0.0, o.CovBeta[0, 0]);
    }
}
