using Odr.Tests.Support;

namespace Odr.Tests.Core;

/// <summary>
/// The derivative checker (ODRPACK's DJCK) against ODRPACK 2.01 as shipped in scipy 1.10.1. The
/// expected MSGB/MSGD codes, INFO and counters below were produced by running each problem through
/// scipy.odr with deriv = 2 (the script is in the comment of <see cref="Expected"/>); they are not
/// recomputed by the code under test.
/// </summary>
public class DerivativeCheckerTests
{
    // Data of the ODRPACK user's guide explicit example (x fixed for observations 0, 1 and 11).
    private static readonly double[] UgX = { 0.0, 0.0, 5.0, 7.0, 7.5, 10.0, 16.0, 26.0, 30.0, 34.0, 34.5, 100.0 };
    private static readonly double[] UgY = { 1265.0, 1263.6, 1258.0, 1254.0, 1253.0, 1249.8, 1237.0, 1218.0, 1220.6, 1213.8, 1215.5, 1212.0 };
    private static readonly int[] UgFix = { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 };
    private static readonly double[] UgBeta0 = { 1500.0, -50.0, -0.1 };

    // Exponential decay.
    private static readonly double[] ExpX = { 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0 };
    private static readonly double[] ExpY = { 8.1, 6.4, 5.3, 4.2, 2.9, 2.0, 1.4, 1.0, 0.55, 0.3 };
    private static readonly double[] ExpBeta0 = { 10.0, 0.5 };

    // A quadratic whose first row is x = 5, where (x - 5)² and its derivatives vanish.
    private static readonly double[] QuadX = { 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0 };
    private static readonly double[] QuadY = { 3.1, 4.9, 7.2, 9.8, 13.1, 17.2, 21.8, 27.1 };

    /// <summary>
    /// ODRPACK's verdict and counters for one problem: MSGB and MSGD as in scipy's out.iwork
    /// (summary first, then response l / parameter k at 1 + l + k·q), INFO, NFEV, NJEV, NTOL, the
    /// checked row (0-based) and NITER. Generated with scipy 1.10.1 (ODRPACK 2.01), e.g.
    /// <c>o = odr.ODR(odr.Data(x, y), odr.Model(f, fjacb=jb, fjacd=jd), beta0=...); o.set_job(deriv=2, fit_type=...); out = o.run()</c>,
    /// decoding out.iwork with ODRPACK's DIWINF layout.
    /// </summary>
    public sealed record Expected(int[] Msgb, int[] Msgd, int Info, int Nfev, int Njev, int Ntol, int Row, int Niter);

    [Fact]
    public void UserGuideExampleIsVerifiedAsByOdrpack()
    {
        var c = ReferenceCases.Get("ug_explicit_analytic_checked");
        var e = c.GetProperty("expected");
        var odr = ReferenceCases.BuildOdr(c);
        var output = odr.Run();

        var check = output.DerivativeCheck;
        Assert.NotNull(check);
        Assert.Equal(e.GetProperty("msgb").Ints(), Msgb(check));
        Assert.Equal(e.GetProperty("msgd").Ints(), Msgd(check));
        Assert.Equal(e.GetProperty("ntol").GetInt32(), check.ToleranceDigits);
        Assert.Equal(e.GetProperty("nfev").GetInt32(), output.FunctionEvaluations);
        Assert.Equal(e.GetProperty("njev").GetInt32(), output.JacobianEvaluations);
        Assert.Equal(e.GetProperty("info").GetInt32(), output.Info);
        Assert.Equal(e.GetProperty("niter").GetInt32(), output.Iterations);
        Assert.Equal(2, check.Row);
        for (int k = 0; k < 4; k++) Assert.InRange(check.Differences[0, k], 0.0, Math.Pow(10, -check.ToleranceDigits));
    }

    [Theory]
    [MemberData(nameof(UserGuideVariants))]
    public void UserGuideVariantsGetOdrpacksVerdict(string name, double[] fjacbScale, double fjacdScale, int fitType, Expected expected)
    {
        var odr = new ODR(new Data(UgX, UgY), UgModel(fjacbScale, fjacdScale), UgBeta0, ifixx: UgFix);
        odr.SetJob(fitType: fitType, deriv: 2);
        AssertMatches(name, odr.Run(), expected);
    }

    public static TheoryData<string, double[], double, int, Expected> UserGuideVariants() => new()
    {
        // Analytic derivatives that ODRPACK accepts: the UG model is so curved at beta0 that a wrong
        // ∂f/∂β is blamed on curvature (code 5, questionable) and the fit still runs.
        { "correct, OLS", new[] { 1.0, 1, 1 }, 1.0, 2, new(new[] { 0, 0, 0, 0 }, new[] { 0, 0 }, 1, 21, 8, 3, 2, 7) },
        { "dF/dB1 doubled", new[] { 1.0, 2, 1 }, 1.0, 0, new(new[] { 1, 0, 5, 0 }, new[] { 0, 0 }, 1001, 44, 16, 3, 2, 15) },
        { "dF/dB1 1% off", new[] { 1.0, 1.01, 1 }, 1.0, 0, new(new[] { 1, 0, 5, 0 }, new[] { 0, 0 }, 1001, 36, 8, 3, 2, 7) },
        { "dF/dB2 wrong sign", new[] { 1.0, 1, -1 }, 1.0, 0, new(new[] { 1, 0, 0, 5 }, new[] { 0, 0 }, 1001, 56, 8, 3, 2, 7) },
        { "dF/dB2 doubled, OLS", new[] { 1.0, 1, 2 }, 1.0, 2, new(new[] { 1, 0, 0, 5 }, new[] { 0, 0 }, 1001, 39, 14, 3, 2, 13) },

        // A wrong ∂f/∂x is seriously wrong: the fit is not run.
        { "dF/dx wrong sign", new[] { 1.0, 1, 1 }, -1.0, 0, new(new[] { 0, 0, 0, 0 }, new[] { 2, 7 }, 40100, 29, 1, 3, 2, 0) },
        { "dF/dB1 doubled and dF/dx wrong sign", new[] { 1.0, 2, 1 }, -1.0, 0, new(new[] { 1, 0, 5, 0 }, new[] { 2, 7 }, 40100, 41, 1, 3, 2, 0) },
    };

    [Theory]
    [MemberData(nameof(ExponentialVariants))]
    public void ExponentialVariantsGetOdrpacksVerdict(string name, double[] fjacbScale, double fjacdScale, int fitType, Expected expected)
    {
        var odr = new ODR(new Data(ExpX, ExpY), ExpModel(fjacbScale, fjacdScale), ExpBeta0);
        odr.SetJob(fitType: fitType, deriv: 2);
        AssertMatches(name, odr.Run(), expected);
    }

    /// <summary>A model declared pure has the checker's steps in x evaluated at the checked row alone
    /// (DerivativeProbe): ODRPACK's verdicts, counters and fit all the same.</summary>
    [Theory]
    [MemberData(nameof(ExponentialVariants))]
    public void ExponentialVariantsDeclaredPureGetOdrpacksVerdict(string name, double[] fjacbScale, double fjacdScale, int fitType, Expected expected)
    {
        var odr = new ODR(new Data(ExpX, ExpY), ExpModel(fjacbScale, fjacdScale), ExpBeta0) { ParallelModelEvaluation = true };
        odr.SetJob(fitType: fitType, deriv: 2);
        AssertMatches(name, odr.Run(), expected);
    }

    /// <summary>As <see cref="ExponentialVariantsDeclaredPureGetOdrpacksVerdict"/>, with fixed inputs
    /// and the checked row past the first.</summary>
    [Theory]
    [MemberData(nameof(UserGuideVariants))]
    public void UserGuideVariantsDeclaredPureGetOdrpacksVerdict(string name, double[] fjacbScale, double fjacdScale, int fitType, Expected expected)
    {
        var odr = new ODR(new Data(UgX, UgY), UgModel(fjacbScale, fjacdScale), UgBeta0, ifixx: UgFix) { ParallelModelEvaluation = true };
        odr.SetJob(fitType: fitType, deriv: 2);
        AssertMatches(name, odr.Run(), expected);
    }

    /// <summary>ODRPACK evaluates every observation at each of the check's steps in beta and at DETAF's
    /// noise points, and reads one. A model declared pure is evaluated at that observation alone: the
    /// fit is the same to the bit, and every such call replaces one full call.</summary>
    [Fact]
    public void DeclaredPureModelIsEvaluatedAtTheCheckedRowAloneInTheChecksSteps()
    {
        var (plain, plainCalls) = RunCounting(pure: false);
        var (pure, pureCalls) = RunCounting(pure: true);

        Assert.All(plainCalls, rows => Assert.Equal(ExpX.Length, rows));
        int single = pureCalls.Count(rows => rows == 1);
        Assert.True(single >= 8, $"{single} one-row calls: 4 noise points and at least one step per parameter and input");
        Assert.All(pureCalls, rows => Assert.True(rows == 1 || rows == ExpX.Length));
        Assert.Equal(plainCalls.Count, pureCalls.Count);
        Assert.Equal(plain.FunctionEvaluations, pure.FunctionEvaluations);
        Assert.Equal(plain.Info, pure.Info);
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(plain.Beta[k]), BitConverter.DoubleToInt64Bits(pure.Beta[k]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(plain.SdBeta[k]), BitConverter.DoubleToInt64Bits(pure.SdBeta[k]));
        }

        static (Output Output, List<int> Calls) RunCounting(bool pure)
        {
            var calls = new List<int>();
            ModelFunction f = (b, x, y) =>
            {
                lock (calls) calls.Add(x.Length);
                for (int i = 0; i < x.Length; i++) y[i] = b[0] * Math.Exp(-b[1] * x[i]);
            };
            var odr = new ODR(new Data(ExpX, ExpY), new Model(f, ExpJacobianBeta([1.0, 1]), ExpJacobianX(1.0)), ExpBeta0)
            {
                ParallelModelEvaluation = pure,
                MaxDegreeOfParallelism = 1,
            };
            odr.SetJob(deriv: 2);
            return (odr.Run(), calls);
        }
    }

    public static TheoryData<string, double[], double, int, Expected> ExponentialVariants() => new()
    {
        { "correct, ODR", new[] { 1.0, 1 }, 1.0, 0, new(new[] { 0, 0, 0 }, new[] { 0, 0 }, 1, 20, 7, 3, 0, 6) },
        { "correct, OLS", new[] { 1.0, 1 }, 1.0, 2, new(new[] { 0, 0, 0 }, new[] { 0, 0 }, 1, 16, 6, 3, 0, 5) },

        // Wrong fjacb: seriously wrong (7), INFO 41000, nothing but the check evaluated.
        { "dF/dB1 doubled, ODR", new[] { 1.0, 2 }, 1.0, 0, new(new[] { 2, 0, 7 }, new[] { 0, 0 }, 41000, 26, 1, 3, 0, 0) },
        { "dF/dB1 doubled, OLS", new[] { 1.0, 2 }, 1.0, 2, new(new[] { 2, 0, 7 }, new[] { 0, 0 }, 41000, 23, 1, 3, 0, 0) },
        { "dF/dB0 wrong sign, ODR", new[] { -1.0, 1 }, 1.0, 0, new(new[] { 2, 7, 0 }, new[] { 0, 0 }, 41000, 26, 1, 3, 0, 0) },
        { "dF/dB0 wrong sign, OLS", new[] { -1.0, 1 }, 1.0, 2, new(new[] { 2, 7, 0 }, new[] { 0, 0 }, 41000, 23, 1, 3, 0, 0) },

        // Wrong fjacd: seriously wrong in ODR (40100); an OLS fit never looks at fjacd.
        { "dF/dx doubled, ODR", new[] { 1.0, 1 }, 2.0, 0, new(new[] { 0, 0, 0 }, new[] { 2, 7 }, 40100, 26, 1, 3, 0, 0) },
        { "dF/dx doubled, OLS", new[] { 1.0, 1 }, 2.0, 2, new(new[] { 0, 0, 0 }, new[] { 0, 0 }, 1, 16, 6, 3, 0, 5) },

        // Slightly wrong: questionable (5), the fit runs and INFO gets the 1000 digit.
        { "dF/dB1 1% off, ODR", new[] { 1.0, 1.01 }, 1.0, 0, new(new[] { 1, 0, 5 }, new[] { 0, 0 }, 1001, 32, 7, 3, 0, 6) },
        { "dF/dB1 1% off, OLS", new[] { 1.0, 1.01 }, 1.0, 2, new(new[] { 1, 0, 5 }, new[] { 0, 0 }, 1001, 29, 7, 3, 0, 6) },
        { "dF/dB1 3% off, ODR", new[] { 1.0, 1.03 }, 1.0, 0, new(new[] { 1, 0, 5 }, new[] { 0, 0 }, 1001, 32, 7, 3, 0, 6) },

        // Within the tolerance (3 digits): verified.
        { "dF/dB1 1e-4 off, ODR", new[] { 1.0, 1.0001 }, 1.0, 0, new(new[] { 0, 0, 0 }, new[] { 0, 0 }, 1, 20, 7, 3, 0, 6) },
        { "dF/dB1 1e-4 off, OLS", new[] { 1.0, 1.0001 }, 1.0, 2, new(new[] { 0, 0, 0 }, new[] { 0, 0 }, 1, 16, 6, 3, 0, 5) },
    };

    [Fact]
    public void QuestionableRunsReachOdrpacksSolution()
    {
        // A questionable verdict does not stop the fit, which starts from the checker's Jacobian.
        var ug = new ODR(new Data(UgX, UgY), UgModel(new[] { 1.0, 1, -1 }, 1.0), UgBeta0, ifixx: UgFix);
        ug.SetJob(deriv: 2);
        AssertClose(new[] { 1268.8970148747337, -52.87590828290648, -0.13071842704929237 }, ug.Run().Beta);

        var exp = new ODR(new Data(ExpX, ExpY), ExpModel(new[] { 1.0, 1.01 }, 1.0), ExpBeta0);
        exp.SetJob(deriv: 2);
        AssertClose(new[] { 9.40155776108229, 0.3821904519321429 }, exp.Run().Beta);

        static void AssertClose(double[] expected, double[] actual)
        {
            for (int k = 0; k < expected.Length; k++) Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-8 * Math.Abs(expected[k]), $"beta[{k}] = {actual[k]:R}, ODRPACK {expected[k]:R}");
        }
    }

    [Fact]
    public void FixedParameterIsNotChecked()
    {
        // ODRPACK's counts: its first step uses the checker's unpacked Jacobian (see CheckedJacobianTests).
        var odr = new ODR(new Data(ExpX, ExpY), ExpModel(new[] { 1.0, 1 }, 1.0), ExpBeta0, ifixb: new[] { 0, 1 }) { OdrpackCheckedFirstJacobian = true };
        odr.SetJob(deriv: 2);
        var output = odr.Run();
        AssertMatches("b0 fixed", output, new(new[] { 0, -1, 0 }, new[] { 0, 0 }, 1, 22, 7, 4, 0, 6));
    }

    [Theory]
    [InlineData(0, 1001, 22, 6, 5)]
    [InlineData(2, 1003, 16, 3, 2)]
    public void DerivativeZeroAtTheCheckedRowIsQuestionable(int fitType, int info, int nfev, int njev, int niter)
    {
        // ∂f/∂B2 = (x - 5)² is exactly zero at row 0, as is its finite difference: code 1.
        ModelFunction f = (b, x, y) =>
        {
            for (int i = 0; i < x.Length; i++) y[i] = b[0] + b[1] * x[i] + b[2] * Math.Pow(x[i] - 5.0, 2);
        };
        ModelJacobian jb = (b, x, jac) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                jac[i * 3] = 1.0;
                jac[i * 3 + 1] = x[i];
                jac[i * 3 + 2] = Math.Pow(x[i] - 5.0, 2);
            }
        };
        ModelJacobian jd = (b, x, jac) =>
        {
            for (int i = 0; i < x.Length; i++) jac[i] = b[1] + 2 * b[2] * (x[i] - 5.0);
        };
        var odr = new ODR(new Data(QuadX, QuadY), new Model(f, jb, jd), new[] { 1.0, 1.0, 0.5 });
        odr.SetJob(fitType: fitType, deriv: 2);
        var output = odr.Run();
        AssertMatches("quadratic", output, new(new[] { 1, 0, 0, 1 }, new[] { 0, 0 }, info, nfev, njev, 3, 0, niter));
        Assert.Equal(1, output.Info / 1000 % 10);
        Assert.StartsWith("questionable", DerivativeCheck.Describe(output.DerivativeCheck!.BetaCodes[0, 2]));
    }

    [Fact]
    public void ZeroDerivativesWithRespectToBetaAndXAreQuestionable()
    {
        // f = B0 + B1 (x - 5)²: ∂f/∂B1 and ∂f/∂x both vanish at the checked row x = 5.
        ModelFunction f = (b, x, y) =>
        {
            for (int i = 0; i < x.Length; i++) y[i] = b[0] + b[1] * Math.Pow(x[i] - 5.0, 2);
        };
        ModelJacobian jb = (b, x, jac) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                jac[i * 2] = 1.0;
                jac[i * 2 + 1] = Math.Pow(x[i] - 5.0, 2);
            }
        };
        ModelJacobian jd = (b, x, jac) =>
        {
            for (int i = 0; i < x.Length; i++) jac[i] = 2 * b[1] * (x[i] - 5.0);
        };
        var odr = new ODR(new Data(QuadX, QuadY), new Model(f, jb, jd), new[] { 3.0, 0.4 });
        odr.SetJob(deriv: 2);
        AssertMatches("parabola", odr.Run(), new(new[] { 1, 0, 1 }, new[] { 1, 1 }, 1001, 21, 8, 3, 0, 7));
    }

    [Theory]
    [InlineData(1.0, 0, 40, 6, 1001, 5)]
    [InlineData(3.0, 2, 47, 1, 40100, 0)]
    public void TwoInputsTwoResponses(double fjacdScale, int msgd2, int nfev, int njev, int info, int niter)
    {
        // Response 0 does not depend on B2 and response 1 not on B1: those derivatives are zero
        // (code 1). fjacdScale multiplies ∂f1/∂x0.
        double[,] x = { { 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0 }, { 2.1, 1.9125, 1.725, 1.5375, 1.35, 1.1625, 0.975, 0.7875, 0.6 } };
        double[,] y =
        {
            { -1.5769999999999997, -0.695359375, 0.18706249999999966, 0.9702656249999999, 1.7042499999999998, 2.4390156249999997, 3.0745625000000003, 3.690890625, 4.258 },
            { 3.4455202066613397, 3.2450225290860475, 3.0124655341112305, 2.827463004673798, 2.579642473395036, 2.3686473167277, 2.1541387600233337, 1.8957977822465786, 1.6933269096274832 },
        };
        ModelFunction f = (b, xs, fs) =>
        {
            for (int i = 0; i < xs.Length / 2; i++)
            {
                double x0 = xs[i * 2], x1 = xs[i * 2 + 1];
                fs[i * 2] = b[0] * x0 + b[1] * (x1 * x1);
                fs[i * 2 + 1] = Math.Sin(b[2] * x0) + b[0] * x1;
            }
        };
        ModelJacobian jb = (b, xs, jac) =>
        {
            jac.Clear();
            for (int i = 0; i < xs.Length / 2; i++)
            {
                double x0 = xs[i * 2], x1 = xs[i * 2 + 1];
                jac[(i * 2) * 3] = x0;
                jac[(i * 2) * 3 + 1] = x1 * x1;
                jac[(i * 2 + 1) * 3] = x1;
                jac[(i * 2 + 1) * 3 + 2] = x0 * Math.Cos(b[2] * x0);
            }
        };
        ModelJacobian jd = (b, xs, jac) =>
        {
            for (int i = 0; i < xs.Length / 2; i++)
            {
                double x0 = xs[i * 2], x1 = xs[i * 2 + 1];
                jac[(i * 2) * 2] = b[0];
                jac[(i * 2) * 2 + 1] = 2 * b[1] * x1;
                jac[(i * 2 + 1) * 2] = fjacdScale * (b[2] * Math.Cos(b[2] * x0));
                jac[(i * 2 + 1) * 2 + 1] = b[0];
            }
        };
        var odr = new ODR(new Data(x, y), new Model(f, jb, jd), new[] { 1.0, -1.0, 0.5 });
        odr.SetJob(deriv: 2);
        var output = odr.Run();
        AssertMatches("two by two", output, new(new[] { 1, 0, 0, 0, 1, 1, 0 }, new[] { msgd2, 0, fjacdScale == 1.0 ? 0 : 7, 0, 0 }, info, nfev, njev, 3, 0, niter));
    }

    [Fact]
    public void CheckerLeavesBetaAndFitIntactWhenItStopsTheRun()
    {
        var odr = new ODR(new Data(ExpX, ExpY), ExpModel(new[] { 1.0, 2 }, 1.0), ExpBeta0);
        odr.SetJob(deriv: 2);
        var output = odr.Run();
        Assert.Equal(41000, output.Info);
        Assert.Equal(ExpBeta0, output.Beta);
        Assert.Equal(0, output.Iterations);
        Assert.StartsWith("seriously wrong", DerivativeCheck.Describe(output.DerivativeCheck!.BetaCodes[0, 1]));
        Assert.True(output.DerivativeCheck.Differences[0, 1] > 0.05);
    }

    [Fact]
    public void ModelRejectingACheckPointStopsWith54000()
    {
        // No scipy reference (OdrStop is unusable in scipy 1.10.1): ODRPACK's ISTOP path of DJCK.
        ModelFunction f = (b, x, y) =>
        {
            if (b[1] != 0.5) throw new OdrStop("only beta0 is allowed");
            for (int i = 0; i < x.Length; i++) y[i] = b[0] * Math.Exp(-b[1] * x[i]);
        };
        var model = new Model(f, ExpJacobianBeta(new[] { 1.0, 1 }), ExpJacobianX(1.0));
        var odr = new ODR(new Data(ExpX, ExpY), model, ExpBeta0, ndigit: 15);
        odr.SetJob(deriv: 2);
        var output = odr.Run();
        Assert.Equal(54000, output.Info);
        Assert.Equal(-1, output.DerivativeCheck!.BetaSummary);
        Assert.Equal(ExpBeta0, output.Beta);
    }

    [Fact]
    public void InfiniteBoundsChangeNothing()
    {
        var plain = new ODR(new Data(ExpX, ExpY), ExpModel(new[] { 1.0, 1.01 }, 1.0), ExpBeta0);
        plain.SetJob(deriv: 2);
        var bounded = new ODR(
            new Data(ExpX, ExpY),
            ExpModel(new[] { 1.0, 1.01 }, 1.0),
            ExpBeta0,
            lower: new[] { double.NegativeInfinity, double.NegativeInfinity },
            upper: new[] { double.PositiveInfinity, double.PositiveInfinity });
        bounded.SetJob(deriv: 2);
        var a = plain.Run();
        var b = bounded.Run();
        Assert.Equal(Msgb(a.DerivativeCheck!), Msgb(b.DerivativeCheck!));
        Assert.Equal(a.FunctionEvaluations, b.FunctionEvaluations);
        Assert.Equal(a.Beta, b.Beta);
    }

    [Fact]
    public void BoundsTooCloseForAnyStepLeaveTheParameterUnchecked()
    {
        // ODRPACK95's MOVE_BETA: upper - lower = 1e-8·|B1| leaves room for DERSTP's step (1e-9
        // relative) but not for the checker's larger one (10·sqrt(eta)): code 9, not in the summary.
        var odr = new ODR(
            new Data(ExpX, ExpY),
            ExpModel(new[] { 1.0, 1 }, 1.0),
            ExpBeta0,
            lower: new[] { double.NegativeInfinity, 0.5 },
            upper: new[] { double.PositiveInfinity, 0.5 + 5e-9 },
            maxit: 0);
        odr.SetJob(deriv: 2);
        var check = odr.Run().DerivativeCheck!;
        Assert.Equal(9, check.BetaCodes[0, 1]);
        Assert.Equal(0, check.BetaCodes[0, 0]);
        Assert.Equal(0, check.BetaSummary);
        Assert.StartsWith("unchecked", DerivativeCheck.Describe(9));
    }

    [Fact]
    public void BoundsMoveTheCheckAwayFromThem()
    {
        // beta0 on its lower bound: the check runs at a point moved inside and still verifies.
        var odr = new ODR(
            new Data(ExpX, ExpY),
            ExpModel(new[] { 1.0, 1 }, 1.0),
            ExpBeta0,
            lower: new[] { 10.0, 0.5 },
            upper: new[] { 20.0, 1.0 },
            maxit: 0);
        odr.SetJob(deriv: 2);
        var check = odr.Run().DerivativeCheck!;
        Assert.Equal(new[] { 0, 0, 0 }, Msgb(check));
    }

    [Fact]
    public void DescriptionsFollowOdrpacksNotes()
    {
        Assert.Contains("both are zero", DerivativeCheck.Describe(1));
        Assert.Contains("identically zero and the other only approximately zero", DerivativeCheck.Describe(2));
        Assert.Contains("identically zero and the other is not", DerivativeCheck.Describe(3));
        Assert.Contains("or the scale is wrong", DerivativeCheck.Describe(4));
        Assert.Contains("curvature", DerivativeCheck.Describe(5));
        Assert.Contains("at least 2 digits in common", DerivativeCheck.Describe(6));
        Assert.Contains("fewer than 2 digits in common", DerivativeCheck.Describe(7));
        Assert.Contains("bounds", DerivativeCheck.Describe(8));
        Assert.Contains("bounds", DerivativeCheck.Describe(9));
    }

    private static void AssertMatches(string name, Output output, Expected expected)
    {
        var check = output.DerivativeCheck;
        Assert.NotNull(check);
        var actual = new Expected(Msgb(check), Msgd(check), output.Info, output.FunctionEvaluations, output.JacobianEvaluations, check.ToleranceDigits, check.Row, output.Iterations);
        Assert.True(Show(expected) == Show(actual), $"{name}: expected {Show(expected)}, got {Show(actual)}");
    }

    private static string Show(Expected e) =>
        $"msgb [{string.Join(", ", e.Msgb)}] msgd [{string.Join(", ", e.Msgd)}] info {e.Info} nfev {e.Nfev} njev {e.Njev} ntol {e.Ntol} row {e.Row} niter {e.Niter}";

    /// <summary>ODRPACK's MSGB from the output: summary, then 1 + l + k·q.</summary>
    private static int[] Msgb(DerivativeCheck check)
    {
        int q = check.BetaCodes.GetLength(0), p = check.BetaCodes.GetLength(1);
        var msgb = new int[1 + q * p];
        msgb[0] = check.BetaSummary;
        for (int l = 0; l < q; l++)
        {
            for (int k = 0; k < p; k++) msgb[1 + l + k * q] = check.BetaCodes[l, k];
        }
        return msgb;
    }

    /// <summary>ODRPACK's MSGD. For OLS ODRPACK leaves it at zero; the output says -1 (not checked).</summary>
    private static int[] Msgd(DerivativeCheck check)
    {
        int q = check.XCodes.GetLength(0), m = check.XCodes.GetLength(1);
        var msgd = new int[1 + q * m];
        msgd[0] = check.XSummary;
        for (int l = 0; l < q; l++)
        {
            for (int j = 0; j < m; j++) msgd[1 + l + j * q] = check.XCodes[l, j];
        }
        if (msgd[0] == -1 && msgd.Skip(1).All(v => v == -1)) Array.Clear(msgd);
        return msgd;
    }

    /// <summary>f = B0 + B1 (exp(B2 x) - 1)², with the Jacobians scaled to make them wrong.</summary>
    private static Model UgModel(double[] fjacbScale, double fjacdScale)
    {
        ModelFunction f = (b, x, y) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                double e = Math.Exp(b[2] * x[i]) - 1.0;
                y[i] = b[0] + b[1] * (e * e);
            }
        };
        ModelJacobian jb = (b, x, jac) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                double e = Math.Exp(b[2] * x[i]);
                jac[i * 3] = fjacbScale[0] * 1.0;
                jac[i * 3 + 1] = fjacbScale[1] * ((e - 1) * (e - 1));
                jac[i * 3 + 2] = fjacbScale[2] * (b[1] * 2 * (e - 1) * e * x[i]);
            }
        };
        ModelJacobian jd = (b, x, jac) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                double e = Math.Exp(b[2] * x[i]);
                jac[i] = fjacdScale * (b[1] * 2 * (e - 1) * b[2] * e);
            }
        };
        return new Model(f, jb, jd);
    }

    /// <summary>f = B0 exp(-B1 x).</summary>
    private static Model ExpModel(double[] fjacbScale, double fjacdScale)
    {
        ModelFunction f = (b, x, y) =>
        {
            for (int i = 0; i < x.Length; i++) y[i] = b[0] * Math.Exp(-b[1] * x[i]);
        };
        return new Model(f, ExpJacobianBeta(fjacbScale), ExpJacobianX(fjacdScale));
    }

    private static ModelJacobian ExpJacobianBeta(double[] scale) => (b, x, jac) =>
    {
        for (int i = 0; i < x.Length; i++)
        {
            double e = Math.Exp(-b[1] * x[i]);
            jac[i * 2] = scale[0] * e;
            jac[i * 2 + 1] = -scale[1] * b[0] * x[i] * e;
        }
    };

    private static ModelJacobian ExpJacobianX(double scale) => (b, x, jac) =>
    {
        for (int i = 0; i < x.Length; i++) jac[i] = scale * (-b[0] * b[1] * Math.Exp(-b[1] * x[i]));
    };
}
