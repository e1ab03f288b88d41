using System.Reflection;
using Odr.Core;

namespace Odr.Tests.Api;

/// <summary>
/// The typed options (<see cref="FitKind"/>, <see cref="DerivativeKind"/>, <see cref="CovarianceKind"/>,
/// <see cref="JobCode"/>, <see cref="StopCondition"/>/<see cref="InfoCode"/>) against the integer
/// compatibility layer (<see cref="ODR.SetJob"/>, <see cref="ODR.Job"/>, <see cref="Output.Info"/>,
/// <see cref="Output.StopReasons(int)"/>), for every digit combination. The expected digits are
/// those of scipy.odr's <c>set_job</c> documentation and ODRPACK's user guide (INFO table), written
/// out here, not taken from the code.
/// </summary>
public class TypedOptionsTests
{
    private static readonly double[] X = { 0, 1, 2, 3, 4 };
    private static readonly double[] Y = { 1, 3, 5, 7, 9.5 };

    // scipy.odr set_job: fit_type 0 explicit ODR, 1 implicit ODR, 2 ordinary least squares.
    private static readonly FitKind[] FitByDigit = { FitKind.ExplicitOdr, FitKind.ImplicitOdr, FitKind.OrdinaryLeastSquares };

    // deriv 0 forward differences, 1 central differences, 2 user-supplied checked, 3 user-supplied unchecked.
    private static readonly DerivativeKind[] DerivativeByDigit =
    {
        DerivativeKind.ForwardDifference, DerivativeKind.CentralDifference, DerivativeKind.AnalyticChecked, DerivativeKind.AnalyticUnchecked,
    };

    // var_calc 0 covariance from derivatives recomputed at the solution, 1 from the last iteration's, 2 none.
    private static readonly CovarianceKind[] CovarianceByDigit = { CovarianceKind.FreshJacobian, CovarianceKind.LastJacobian, CovarianceKind.None };

    private static ODR NewOdr(int? job = null) => new(new Data(X, Y), Models.Unilinear, new[] { 1.0, 2.0 }, job: job);

    public static IEnumerable<object[]> EveryJob()
    {
        for (int r = 0; r <= 1; r++)
            for (int di = 0; di <= 1; di++)
                for (int v = 0; v <= 2; v++)
                    for (int d = 0; d <= 3; d++)
                        for (int ft = 0; ft <= 2; ft++)
                            yield return new object[] { ft, d, v, di, r };
    }

    [Theory]
    [MemberData(nameof(EveryJob))]
    public void SetJobAndTypedSettersWriteTheSameJob(int ft, int d, int v, int di, int r)
    {
        int expected = 10000 * r + 1000 * di + 100 * v + 10 * d + ft;
        var typed = new JobCode(FitByDigit[ft], DerivativeByDigit[d], CovarianceByDigit[v], di == 1, r == 1);

        var compat = NewOdr();
        compat.SetJob(fitType: ft, deriv: d, varCalc: v, delInit: di, restart: r);
        Assert.Equal(expected, compat.Job);
        Assert.Equal(expected, typed.Value);
        Assert.Equal(typed, JobCode.FromValue(compat.Job));
        Assert.Equal(FitByDigit[ft], compat.Fit);
        Assert.Equal(DerivativeByDigit[d], compat.Derivative);
        Assert.Equal(CovarianceByDigit[v], compat.Covariance);

        // The typed setters change only their own digit; the order of setting does not matter.
        var viaSetters = NewOdr();
        viaSetters.SetJob(delInit: di, restart: r);
        viaSetters.Covariance = CovarianceByDigit[v];
        viaSetters.Fit = FitByDigit[ft];
        viaSetters.Derivative = DerivativeByDigit[d];
        Assert.Equal(expected, viaSetters.Job);
    }

    [Theory]
    [MemberData(nameof(EveryJob))]
    public void TheSolverIsGivenWhatTheTypedJobSays(int ft, int d, int v, int di, int r)
    {
        var odr = new ODR(new Data(X, Y), Models.Unilinear, new[] { 1.0, 2.0 }, delta0: new double[5], job: 1000);
        odr.SetJob(fitType: ft, deriv: d, varCalc: v, delInit: di, restart: r);
        var input = (SolverInput)typeof(ODR).GetMethod("BuildInput", BindingFlags.NonPublic | BindingFlags.Instance)!.Invoke(odr, null)!;
        var code = JobCode.FromValue(odr.Job);
        Assert.Equal(code.Fit, input.Fit);
        Assert.Equal(code.Derivative, input.Derivative);
        Assert.Equal((int)code.Covariance, input.VarCalc);
        Assert.Equal(code.InitialDelta, input.DeltaInitialized);
    }

    [Theory]
    [InlineData(40, "deriv")] // was run silently with forward differences although the model has Jacobians
    [InlineData(90, "deriv")]
    [InlineData(300, "var_calc")] // was run with a covariance from neither Jacobian rule
    [InlineData(3, "fit type")]
    [InlineData(2000, "del_init")]
    [InlineData(-1, "five digits")]
    [InlineData(100000, "five digits")]
    public void AJobDigitOutOfRangeIsRefusedByName(int job, string fragment)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => NewOdr(job));
        Assert.Equal("job", e.ParamName);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUndefinedEnumValueIsRefused()
    {
        var odr = NewOdr();
        Assert.Throws<ArgumentOutOfRangeException>(() => odr.Fit = (FitKind)3);
        Assert.Throws<ArgumentOutOfRangeException>(() => odr.Derivative = (DerivativeKind)4);
        Assert.Throws<ArgumentOutOfRangeException>(() => odr.Covariance = (CovarianceKind)(-1));
        Assert.Equal(0, odr.Job);
    }

    [Fact]
    public void TheTypedSetterRunsTheSameFitAsTheJobDigit()
    {
        var typed = NewOdr();
        typed.Fit = FitKind.OrdinaryLeastSquares;
        var compat = NewOdr(job: 2);
        Assert.Equal(compat.Run().Beta, typed.Run().Beta);
    }

    /// <summary>Every INFO code ODRPACK(95) can return, digit by digit: below 10000 the stop digit 1–4
    /// with the warning digits (1000 questionable derivatives, 100 the model stopped, 10/20 rank
    /// deficient); from 10000 a fatal class 1–6 or 9 with any lower digits.</summary>
    public static IEnumerable<int> EveryInfo()
    {
        for (int d2 = 0; d2 <= 9; d2++)
            for (int d3 = 0; d3 <= 9; d3++)
                for (int d4 = 0; d4 <= 9; d4++)
                {
                    for (int stop = 1; stop <= 4; stop++) yield return 1000 * d2 + 100 * d3 + 10 * d4 + stop;
                    foreach (int fatal in new[] { 1, 2, 3, 4, 5, 6, 9 })
                        for (int d5 = 0; d5 <= 9; d5++) yield return 10000 * fatal + 1000 * d2 + 100 * d3 + 10 * d4 + d5;
                }
    }

    [Fact]
    public void StopFlagsAgreeWithInfoAndTheScipyStopReasonsForEveryCode()
    {
        int checkedCodes = 0;
        foreach (int info in EveryInfo())
        {
            var code = new InfoCode(info);
            var stop = code.Stop;
            var reasons = Output.StopReasons(info);
            var output = AnOutput(info);
            Assert.Equal(stop, output.Stop);

            // Success is Converged (scipy's "converged": info < 10000 with last digit 1-3).
            Assert.Equal(info < 10000 && info % 10 is 1 or 2 or 3, code.Success);
            Assert.Equal(output.Converged, code.Success);
            Assert.Equal(info >= 10000, code.IsFatal);

            bool hasSumSq = reasons.Contains("Sum of squares convergence") || reasons.Contains("Both sum of squares and parameter convergence");
            bool hasPar = reasons.Contains("Parameter convergence") || reasons.Contains("Both sum of squares and parameter convergence");
            Assert.Equal(hasSumSq, stop.HasFlag(StopCondition.SumOfSquaresConverged));
            Assert.Equal(hasPar, stop.HasFlag(StopCondition.ParametersConverged));
            Assert.Equal(reasons.Contains("Iteration limit reached"), stop.HasFlag(StopCondition.IterationLimit));
            Assert.Equal(reasons.Contains("Derivatives possibly not correct"), stop.HasFlag(StopCondition.DerivativesQuestionable));
            Assert.Equal(reasons.Contains("Problem is not full rank at solution"), stop.HasFlag(StopCondition.RankDeficient));
            Assert.Equal(reasons.Contains("Error in derivatives"), stop.HasFlag(StopCondition.DerivativesWrong));
            Assert.Equal(reasons.Contains("Numerical error detected"), stop.HasFlag(StopCondition.NumericalError));
            // scipy says "Error occurred in callback" both for the warning (hundreds digit below 10000)
            // and for the fatal class 5; the flags tell them apart.
            Assert.Equal(reasons.Contains("Error occurred in callback"), stop.HasFlag(StopCondition.ModelRejectedPoint) || stop.HasFlag(StopCondition.ModelFailed));
            Assert.Equal(info / 10000 == 5, stop.HasFlag(StopCondition.ModelFailed));
            Assert.Equal(info / 10000 is 1 or 2 or 3, stop.HasFlag(StopCondition.InvalidInput));
            Assert.Equal(info / 10000 == 9, stop.HasFlag(StopCondition.BoundsError));
            Assert.Equal(info / 10000 == 9, reasons.Any(s => s.Contains("bounds", StringComparison.OrdinalIgnoreCase)));

            // Exactly one condition for a fatal code; a stop digit (plus warnings) otherwise.
            int bits = System.Numerics.BitOperations.PopCount((uint)stop);
            if (code.IsFatal) Assert.Equal(1, bits);
            else Assert.True(bits >= 1);
            checkedCodes++;
        }
        Assert.Equal(4000 + 7 * 10000, checkedCodes);
    }

    [Fact]
    public void ARealFitReportsItsStopAsFlags()
    {
        var o = NewOdr().Run();
        Assert.True(o.Converged);
        Assert.True((o.Stop & (StopCondition.SumOfSquaresConverged | StopCondition.ParametersConverged)) != 0);

        var limited = new ODR(new Data(X, Y), Models.Exponential, new[] { 0.0, 0.1 }, maxit: 1).Run();
        Assert.Equal(4, limited.Info % 10);
        Assert.True(limited.Stop.HasFlag(StopCondition.IterationLimit));
        Assert.False(limited.Converged);
    }

    private static Output AnOutput(int info) => new()
    {
        Beta = Array.Empty<double>(),
        SdBeta = Array.Empty<double>(),
        CovBeta = new ReadOnlyMatrix(new double[0, 0]),
        Delta = new ReadOnlyMatrix(new double[0, 0]),
        Y = new ReadOnlyMatrix(new double[0, 0]),
        StopReason = Output.StopReasons(info),
        Info = info,
    };
}
