namespace Odr.Tests.Api;

/// <summary>
/// A catalogue of bad inputs and faults. Each must end in a specific exception whose message names the
/// argument and the problem (or, for faults during the fit, a specific INFO code and stop reason) —
/// never a crash, a hang or a silent NaN.
/// </summary>
public class BadInputTests
{
    private static readonly double[] X = { 0, 1, 2, 3, 4 };
    private static readonly double[] Y = { 1, 3, 5, 7, 9.5 };
    private static Model Line => new((b, x) => b[0] * x + b[1]);

    public static IEnumerable<object[]> Catalogue()
    {
        object[] Case(string name, Action action, string param, string fragment) => new object[] { name, action, param, fragment };
        yield return Case("x NaN", () => new Data(new[] { 0, double.NaN, 2.0 }, Y.Take(3).ToArray()), "x", "NaN");
        yield return Case("x infinite", () => new Data(new[] { 0, double.PositiveInfinity, 2.0 }, Y.Take(3).ToArray()), "x", "finite");
        yield return Case("y NaN", () => new Data(X, new[] { 1, 2, double.NaN, 4, 5 }), "y", "NaN");
        yield return Case("y length", () => new Data(X, new[] { 1.0, 2 }), "y", "observations");
        yield return Case("x rank 3", () => new Data(new double[1, 1, 1], null), "x", "shape");
        yield return Case("x empty", () => new Data(Array.Empty<double>(), Array.Empty<double>()), "x", "no observations");
        yield return Case("sx zero", () => new RealData(X, Y, sx: new[] { 1, 0, 1, 1, 1.0 }), "sx", "positive");
        yield return Case("sy negative", () => new RealData(X, Y, sy: -1.0), "sy", "positive");
        yield return Case("sy NaN", () => new RealData(X, Y, sy: double.NaN), "sy", "NaN");
        yield return Case("sx and covx", () => new RealData(X, Y, sx: 1.0, covx: new[] { 1.0, 1, 1, 1, 1 }), "covx", "not both");
        yield return Case("covy not positive definite", () => new RealData(new double[2, 5], new double[2, 5], covy: new double[,] { { 1, 2 }, { 2, 1 } }), "covy", "positive definite");
        yield return Case("covx wrong shape", () => new RealData(new double[2, 5], Y, covx: new double[3, 3]), "covx", "shape");
        yield return Case("we negative", () => new Data(X, Y, we: new[] { 1, 1, -1, 1, 1.0 }), "we", "non-negative");
        yield return Case("wd zero", () => new Data(X, Y, wd: 0.0), "wd", "positive");
        yield return Case("wd wrong length", () => new Data(X, Y, wd: new[] { 1.0, 2, 3 }), "wd", "shape");
        yield return Case("we full not symmetric", () => new Data(new double[1, 5], new double[2, 5], we: new double[,] { { 2, 1 }, { 0, 2 } }), "we", "symmetric");
        yield return Case("we full indefinite", () => new Data(new double[1, 5], new double[2, 5], we: new double[,] { { 1, 3 }, { 3, 1 } }), "we", "positive semidefinite");
        yield return Case("wd per observation indefinite", () => new Data(new double[2, 2], new double[1, 2], wd: new double[,,] { { { 1, 1 }, { 2, 1 } }, { { 2, 1 }, { 1, 1 } } }), "wd", "observation");
        yield return Case("fix wrong shape", () => new Data(X, Y, fix: new[] { 1, 0 }), "fix", "shape");
        yield return Case("beta0 NaN", () => new ODR(new Data(X, Y), Line, new[] { double.NaN, 0 }), "beta0", "finite");
        yield return Case("beta0 empty", () => new ODR(new Data(X, Y), Line, Array.Empty<double>()), "beta0", "at least one");
        yield return Case("n < p", () => new ODR(new Data(new[] { 1.0 }, new[] { 2.0 }), Line, new[] { 1.0, 0 }), "data", "n >= p");
        yield return Case("ifixb length", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, ifixb: new[] { 1 }), "ifixb", "entries");
        yield return Case("ifixb all fixed", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, ifixb: new[] { 0, 0 }), "ifixb", "at least one");
        yield return Case("stpb length", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, stpb: new[] { 1e-5 }), "stpb", "entries");
        yield return Case("sclb NaN", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, sclb: new[] { 1.0, double.NaN }), "sclb", "NaN");
        yield return Case("lower above upper", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, lower: new[] { 2.0, -1 }, upper: new[] { 1.0, 1 }), "lower", "exceeds");
        yield return Case("beta0 below lower", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, lower: new[] { 1.5, -1 }), "beta0", "below");
        yield return Case("beta0 above upper", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, upper: new[] { 2.0, -1 }), "beta0", "above");
        yield return Case("implicit model with y", () => new ODR(new Data(X, Y), new Model((b, x) => b[0] * x, isImplicit: true), new[] { 1.0 }), "data", "without y");
        yield return Case("explicit model without y", () => new ODR(new Data(X), Line, new[] { 1.0, 0 }), "data", "y is missing");
        yield return Case("scalar model with two inputs", () => new ODR(new Data(new double[2, 5], Y), Line, new[] { 1.0, 0 }), "model", "one input");
        yield return Case("analytic job without fjacb", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, job: 20), "job", "fjacb");
        yield return Case("maxit below -1", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, maxit: -5), "maxit", "maxit");
        yield return Case("delta0 wrong shape", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, delta0: new[] { 0.1, 0.2 }).Run(), "delta0", "shape");
        yield return Case("ifixx wrong shape", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, ifixx: new[] { 1, 1 }).Run(), "ifixx", "shape");
        yield return Case("stpd non-positive entry", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }, stpd: new[] { 1e-5, 1e-5, -1, 1e-5, 1e-5 }).Run(), "stpd", "positive");
        yield return Case("model NaN at beta0", () => new ODR(new Data(X, Y), new Model((b, x) => x > 2 ? double.NaN : b[0] * x), new[] { 1.0 }).Run(), "beta0", "NaN");
        yield return Case("model infinite at beta0", () => new ODR(new Data(X, Y), new Model((b, x) => 1 / (x - 1) * b[0]), new[] { 1.0 }).Run(), "beta0", "finite");
        yield return Case("vectorized model writes too few values", () => new ODR(new Data(X, Y), new Model((ModelFunction)((b, x, f) => f[0] = b[0])), new[] { 1.0 }).Run(), "beta0", "write all");
        yield return Case("SetJob fit type 5", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }).SetJob(fitType: 5), "fitType", "between");
        yield return Case("SetIprint level 7", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }).SetIprint(init: 7), "init", "levels");
        yield return Case("confidence level 1", () => new ODR(new Data(X, Y), Line, new[] { 1.0, 0 }).Run().ConfidenceIntervals(1.0), "level", "between 0 and 1");
    }

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void BadInputIsRejectedWithAClearMessage(string name, Action action, string param, string fragment)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.True(e.ParamName == param, $"{name}: parameter '{e.ParamName}', expected '{param}' ({e.Message})");
        Assert.Contains(fragment, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\n', e.Message.Split(" (Parameter")[0]);
    }

    [Fact]
    public void ModelThatThrowsIsWrappedWithBetaAndIteration()
    {
        int calls = 0;
        var model = new Model((b, x) =>
        {
            if (++calls > 40) throw new InvalidOperationException("boom");
            return b[0] * x + b[1];
        });
        var odr = new ODR(new Data(X, Y), model, new[] { 1.0, 0 });
        var e = Assert.Throws<ModelEvaluationException>(() => odr.Run());
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Contains("boom", e.Message);
        Assert.Equal(2, e.Beta.Count);
        Assert.True(e.Iteration >= 1);

        // The fit object stays usable: a well-behaved model on the same data fits normally.
        calls = int.MinValue;
        var again = new ODR(new Data(X, Y), model, new[] { 1.0, 0 }).Run();
        Assert.True(again.Converged);
    }

    [Fact]
    public void ModelThatReturnsNaNAwayFromTheStartRejectsTheStepAndStillConverges()
    {
        // NaN for slopes above 2.05: trial steps there are rejected (ODRPACK's ISTOP) and shortened.
        var model = new Model((b, x) => b[0] > 2.05 ? double.NaN : b[0] * x + b[1]);
        var o = new ODR(new Data(X, Y), model, new[] { 1.0, 0 }).Run();
        Assert.True(o.Converged, $"info {o.Info}");
        Assert.True(o.Beta[0] <= 2.05);
        Assert.True(o.Beta.All(double.IsFinite));
    }

    [Fact]
    public void ModelThatRejectsEveryTrialPointStopsWithTheCallbackReason()
    {
        var start = new[] { 1.0, 0 };
        var model = new Model((b, x) => b[0] != start[0] || b[1] != start[1] ? throw new OdrStop("only beta0 is acceptable") : b[0] * x + b[1]);
        var o = new ODR(new Data(X, Y), model, start).Run();
        Assert.False(o.Converged);
        Assert.Contains(o.StopReason, r => r.Contains("callback", StringComparison.OrdinalIgnoreCase));
        Assert.True(o.Beta.All(double.IsFinite));
    }

    [Fact]
    public void RankDeficientProblemGetsTheRankDigitNotAnException()
    {
        // b0 and b1 enter only as their sum: with analytic derivatives the Jacobian has exactly
        // dependent columns. (With finite differences their noise hides it, in ODRPACK as here.)
        var model = new Model(
            (ModelFunction)((b, x, f) => { for (int i = 0; i < x.Length; i++) f[i] = (b[0] + b[1]) * x[i] + b[2]; }),
            (b, x, j) => { for (int i = 0; i < x.Length; i++) { j[i * 3] = x[i]; j[i * 3 + 1] = x[i]; j[i * 3 + 2] = 1; } },
            (b, x, j) => { for (int i = 0; i < x.Length; i++) j[i] = b[0] + b[1]; });
        var odr = new ODR(new Data(X, Y), model, new[] { 1.0, 1.0, 0.5 });
        odr.SetJob(deriv: 3);
        var o = odr.Run();
        Assert.Equal(1, o.RankDeficiency);
        Assert.Equal(1, o.Info / 10 % 10);
        Assert.Contains("Problem is not full rank at solution", o.StopReason);
        Assert.True(o.Beta.All(double.IsFinite));
    }

    [Fact]
    public void AllXEqualEndsWithOdrpacksVerdictNotACrash()
    {
        // scipy.odr: info 4, beta [132.53664939, -259.93917869] for this problem.
        var x = new[] { 2.0, 2, 2, 2, 2 };
        var o = new ODR(new Data(x, Y), Line, new[] { 1.0, 0 }).Run();
        Assert.Equal(4, o.Info);
        Assert.Equal(new[] { "Iteration limit reached" }, o.StopReason);
        Assert.Equal(132.53664939, o.Beta[0], 1e-6);
        Assert.True(o.Beta.All(double.IsFinite));
    }

    [Fact]
    public void ZeroDegreesOfFreedomFollowsOdrpacksConvention()
    {
        // n = p: res_var is the sum of squares itself (ODRPACK's convention) and no NaN appears.
        var o = new ODR(new Data(new[] { 0.0, 1 }, new[] { 1.0, 3 }), Line, new[] { 1.0, 0 }).Run();
        Assert.Equal(0, o.DegreesOfFreedom);
        Assert.True(Math.Abs(o.SumSquare - o.ResVar) <= 1e-12 * Math.Max(o.SumSquare, 1e-30), $"res_var {o.ResVar} vs sum_square {o.SumSquare}");
        Assert.True(o.SdBeta.All(double.IsFinite));
    }

    [Fact]
    public void ZeroEpsWeightDropsAnObservation()
    {
        // Observation 4 is an outlier with weight 0 on eps: the line through the other four is exact.
        var y = new[] { 1.0, 3, 5, 7, 100 };
        var o = new ODR(new Data(X, y, we: new[] { 1, 1, 1, 1, 0.0 }), Line, new[] { 1.0, 0 }).Run();
        Assert.Equal(2.0, o.Beta[0], 1e-8);
        Assert.Equal(1.0, o.Beta[1], 1e-8);
    }

    [Fact]
    public void OverflowInTheModelIsRejectedNotPropagated()
    {
        // exp overflows for large trial values of b1; the fit must still end with finite numbers.
        var x = new[] { 1.0, 2, 3, 4, 5, 6 };
        var y = x.Select(v => Math.Exp(0.5 * v)).ToArray();
        var o = new ODR(new Data(x, y), new Model((b, t) => b[0] * Math.Exp(b[1] * t * 100)), new[] { 1.0, 0.01 }).Run();
        Assert.True(o.Beta.All(double.IsFinite));
        Assert.True(double.IsFinite(o.SumSquare));
    }

    [Fact]
    public void DuplicatedPointsFitNormally()
    {
        var x = new[] { 1.0, 1, 2, 2, 3, 3 };
        var y = new[] { 2.0, 2, 4.1, 4.1, 5.9, 5.9 };
        var o = new ODR(new Data(x, y), Line, new[] { 1.0, 0 }).Run();
        Assert.True(o.Converged);
        Assert.Equal(1.95, o.Beta[0], 0.2);
    }

    [Fact]
    public void RestartWithoutRunIsAnInvalidOperation()
    {
        var odr = new ODR(new Data(X, Y), Line, new[] { 1.0, 0 });
        Assert.Throws<InvalidOperationException>(() => odr.Restart());
    }

    [Fact]
    public void CancellationStopsWithinAnIteration()
    {
        using var cts = new CancellationTokenSource();
        var model = new Model((b, x) => b[0] * Math.Exp(b[1] * x));
        cts.Cancel();
        var odr = new ODR(new Data(X, Y.Select(v => v + 1).ToArray()), model, new[] { 1.0, 0.3 });
        Assert.ThrowsAny<OperationCanceledException>(() => odr.Run(cts.Token));
        // The object is still usable afterwards.
        Assert.True(odr.Run().Info < 10000);
    }
}
