using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Tests.Support;

namespace Odr.Tests.Api;

/// <summary>
/// Correlated x–y errors per observation (RealData's rxy), checked against York et al. (2004)'s
/// straight-line iteration (Data/york, made by make_york_reference.py with numpy), against a
/// brute-force minimization of the quadratic-form objective for a nonlinear model, and against the
/// uncorrelated fit, which r = 0 must reproduce bit for bit.
/// </summary>
public class CorrelatedErrorsTests
{
    private static readonly Lazy<JsonDocument> York = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "york", "york-reference.json"))));

    private static IEnumerable<JsonElement> YorkCases => York.Value.RootElement.GetProperty("cases").EnumerateArray();

    public static IEnumerable<object[]> YorkNames => YorkCases.Select(c => new object[] { c.GetProperty("name").GetString()! });

    private static JsonElement YorkCase(string name) => YorkCases.First(c => c.GetProperty("name").GetString() == name);

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static NdArray Rxy(JsonElement c) =>
        c.GetProperty("r").ValueKind == JsonValueKind.Array ? Doubles(c.GetProperty("r")) : c.GetProperty("r").GetDouble();

    private static Model AnalyticLine => new((b, x) => b[0] * x + b[1], (b, x, g) => { g[0] = x; g[1] = 1; }, (b, x) => b[0]);

    private static double Relative(double expected, double actual) => Math.Abs(actual - expected) / Math.Abs(expected);

    /// <summary>
    /// York's a and b to 1e-8 (relative), the minimized quadratic form S to 1e-8 and the adjusted x
    /// to 1e-7. York's standard errors are absolute, sqrt(diag((JᵀWJ)⁻¹)) at the adjusted points, which
    /// is ODRPACK's unscaled covariance (cov_beta, VCV); ODRPACK's sd_beta scales it by res_var = S/(n − 2).
    /// So sqrt(diag(CovBeta)) is compared with York's σ (1e-7), and SdBeta with σ·sqrt(S/(n − 2)).
    /// </summary>
    [Theory]
    [MemberData(nameof(YorkNames))]
    public void StraightLineIsYorksSolution(string name)
    {
        var c = YorkCase(name);
        var x = Doubles(c.GetProperty("x"));
        var y = Doubles(c.GetProperty("y"));
        var data = new RealData(x, y, sx: Doubles(c.GetProperty("sx")), sy: Doubles(c.GetProperty("sy")), rxy: Rxy(c));
        // From the ordinary least-squares line, as York's iteration: with strong correlations the
        // objective can have a second, higher minimum (here b = 0.219, S = 224.9 for the per-observation
        // r of Pearson's data, reached from beta0 = (-1, 1)).
        var odr = new ODR(data, AnalyticLine, OrdinaryLine(x, y), sstol: 1e-15, partol: 1e-15, maxit: 200);
        odr.SetJob(deriv: 2); // analytic, checked: the checker sees the corrected f and ∂f/∂x agree
        var o = odr.Run();

        Assert.True(o.Converged, $"info {o.Info}");
        double a = c.GetProperty("a").GetDouble(), b = c.GetProperty("b").GetDouble();
        Assert.True(Relative(b, o.Beta[0]) < 1e-8, $"b: {o.Beta[0]:R} vs York {b:R}");
        Assert.True(Relative(a, o.Beta[1]) < 1e-8, $"a: {o.Beta[1]:R} vs York {a:R}");
        double s = c.GetProperty("chi2").GetDouble();
        Assert.True(Relative(s, o.SumSquare) < 1e-8, $"S: {o.SumSquare:R} vs York {s:R}");
        var xAdjusted = Doubles(c.GetProperty("x_adjusted"));
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(o.XPlus[0, i] - xAdjusted[i]) < 1e-7 * (1 + Math.Abs(xAdjusted[i])), $"x + delta [{i}]: {o.XPlus[0, i]:R} vs York {xAdjusted[i]:R}");
        }

        double sigmaB = c.GetProperty("sigma_b").GetDouble(), sigmaA = c.GetProperty("sigma_a").GetDouble();
        Assert.True(Relative(sigmaB, Math.Sqrt(o.CovBeta[0, 0])) < 1e-7, $"sigma_b: {Math.Sqrt(o.CovBeta[0, 0]):R} vs York {sigmaB:R}");
        Assert.True(Relative(sigmaA, Math.Sqrt(o.CovBeta[1, 1])) < 1e-7, $"sigma_a: {Math.Sqrt(o.CovBeta[1, 1]):R} vs York {sigmaA:R}");
        double scale = Math.Sqrt(s / (x.Length - 2));
        Assert.True(Relative(sigmaB * scale, o.SdBeta[0]) < 1e-7, $"sd_beta[0]: {o.SdBeta[0]:R} vs {sigmaB * scale:R}");
        Assert.True(Relative(sigmaA * scale, o.SdBeta[1]) < 1e-7, $"sd_beta[1]: {o.SdBeta[1]:R} vs {sigmaA * scale:R}");

        // The outputs are the true errors: y fitted = a + b (x + δ), eps = that − y (no correction term).
        for (int i = 0; i < x.Length; i++)
        {
            double fitted = o.Beta[0] * o.XPlus[0, i] + o.Beta[1];
            Assert.True(Math.Abs(o.Y[0, i] - fitted) < 1e-12 * (1 + Math.Abs(fitted)), $"y[{i}]: {o.Y[0, i]:R} vs {fitted:R}");
            Assert.True(Math.Abs(o.Eps[0, i] - (fitted - y[i])) < 1e-12 * (1 + Math.Abs(fitted)), $"eps[{i}]");
        }
    }

    private static double[] OrdinaryLine(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double b = x.Zip(y, (u, v) => (u - mx) * (v - my)).Sum() / x.Sum(u => (u - mx) * (u - mx));
        return new[] { b, my - b * mx };
    }

    [Fact]
    public void PearsonYorkMatchesThePublishedLine()
    {
        // York et al. (2004), section IV: a = 5.47991022, b = −0.48053340 (r = 0), printed to 8 decimals.
        var c = YorkCase("pearson-york r=0");
        var data = new RealData(Doubles(c.GetProperty("x")), Doubles(c.GetProperty("y")), sx: Doubles(c.GetProperty("sx")), sy: Doubles(c.GetProperty("sy")), rxy: 0.0);
        var odr = new ODR(data, AnalyticLine, new[] { -1.0, 1.0 }, sstol: 1e-15, partol: 1e-15);
        odr.SetJob(deriv: 3);
        var o = odr.Run();
        Assert.True(Math.Abs(o.Beta[1] - 5.47991022) < 1e-8, $"a = {o.Beta[1]:R}");
        Assert.True(Math.Abs(o.Beta[0] + 0.48053340) < 1e-8, $"b = {o.Beta[0]:R}");
    }

    private static double[] Uniform(Random r, int n, double lo, double hi) =>
        Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * r.NextDouble()).ToArray();


    /// <summary>r = 0 (a scalar or n zeros) is today's RealData fit bit for bit: same weights, no
    /// correction term.</summary>
    [Property(MaxTest = 25)]
    public Property ZeroCorrelationIsThePlainFitBitForBit() => Prop.ForAll(Arbitraries.Seeds, seed =>
    {
        var r = new Random(seed);
        int n = r.Next(4, 40);
        var x = Uniform(r, n, 0, 5);
        var y = x.Select(v => 2 * Math.Exp(-0.4 * v) + 0.1 * (r.NextDouble() - 0.5)).ToArray();
        var sx = Uniform(r, n, 0.01, 0.3);
        var sy = Uniform(r, n, 0.02, 0.2);
        var model = new Model((b, t) => b[0] * Math.Exp(b[1] * t));
        var beta0 = new[] { 1.5, -0.3 };
        var plain = new ODR(new RealData(x, y, sx: sx, sy: sy), model, beta0).Run();
        var scalar = new ODR(new RealData(x, y, sx: sx, sy: sy, rxy: 0.0), model, beta0).Run();
        var vector = new ODR(new RealData(x, y, sx: sx, sy: sy, rxy: new double[n]), model, beta0).Run();
        FitAssert.BitIdentical(plain, scalar);
        FitAssert.BitIdentical(plain, vector);
    });

    /// <summary>Per observation the brute-force objective: min over δ of (δ, ε) Σ⁻¹ (δ, ε)ᵀ with
    /// ε = f(x + δ) − y and Σ = [[sx², r sx sy], [r sx sy, sy²]] inverted directly; δ by a grid and
    /// golden-section search.</summary>
    private static (double Value, double Delta) BruteObservation(Func<double, double> f, double x, double y, double sx, double sy, double r)
    {
        double det = sx * sx * sy * sy * (1 - r * r);
        double wdd = sy * sy / det, wee = sx * sx / det, wde = -r * sx * sy / det;
        double Q(double d)
        {
            double e = f(x + d) - y;
            return wdd * d * d + 2 * wde * d * e + wee * e * e;
        }
        const int grid = 4000;
        double lo = -10 * sx, step = 20 * sx / grid, best = double.PositiveInfinity;
        int at = 0;
        for (int k = 0; k <= grid; k++)
        {
            double v = Q(lo + k * step);
            if (v < best)
            {
                best = v;
                at = k;
            }
        }
        Assert.InRange(at, 1, grid - 1); // an interior minimum
        double a = lo + (at - 1) * step, b = lo + (at + 1) * step;
        double g = (Math.Sqrt(5) - 1) / 2;
        double c1 = b - g * (b - a), c2 = a + g * (b - a), q1 = Q(c1), q2 = Q(c2);
        for (int it = 0; it < 200 && b - a > 1e-15 * (1 + Math.Abs(x)); it++)
        {
            if (q1 < q2)
            {
                b = c2;
                c2 = c1;
                q2 = q1;
                c1 = b - g * (b - a);
                q1 = Q(c1);
            }
            else
            {
                a = c1;
                c1 = c2;
                q1 = q2;
                c2 = a + g * (b - a);
                q2 = Q(c2);
            }
        }
        double dmin = (a + b) / 2;
        return (Q(dmin), dmin);
    }

    private static double BruteObjective(double[] beta, double[] x, double[] y, double[] sx, double[] sy, double[] r, double[]? deltas = null)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            var (v, d) = BruteObservation(t => beta[0] * Math.Exp(beta[1] * t), x[i], y[i], sx[i], sy[i], r[i]);
            sum += v;
            if (deltas != null) deltas[i] = d;
        }
        return sum;
    }

    /// <summary>A nonlinear model with r ≠ 0 per observation: the fit's weighted sum of squares is the
    /// brute-force quadratic-form objective at its beta, its deltas are the brute-force minimizers,
    /// and no nearby beta (steps of 1e-3 and 1e-5 standard errors, along and between the axes) lowers
    /// the brute-force objective.</summary>
    [Theory]
    [InlineData(1, 1)] // central differences (whole-array model calls)
    [InlineData(2, 0)] // forward differences (per-observation subsets of the scalar model form)
    [InlineData(3, 1)] // analytic derivatives
    public void NonlinearFitMinimizesTheQuadraticForm(int seed, int deriv)
    {
        var rng = new Random(seed);
        int n = 30;
        var xt = Enumerable.Range(0, n).Select(i => 0.2 * i).ToArray();
        var sx = Uniform(rng, n, 0.03, 0.15);
        var sy = Uniform(rng, n, 0.03, 0.12);
        var r = Uniform(rng, n, -0.9, 0.9);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z1 = Gauss(rng), z2 = Gauss(rng);
            x[i] = xt[i] + sx[i] * z1;
            y[i] = 3 * Math.Exp(-0.5 * xt[i]) + sy[i] * (r[i] * z1 + Math.Sqrt(1 - r[i] * r[i]) * z2);
        }
        var model = deriv == 3
            ? new Model((b, t) => b[0] * Math.Exp(b[1] * t), (b, t, g) => { g[0] = Math.Exp(b[1] * t); g[1] = b[0] * t * Math.Exp(b[1] * t); }, (b, t) => b[0] * b[1] * Math.Exp(b[1] * t))
            : new Model((b, t) => b[0] * Math.Exp(b[1] * t));
        var odr = new ODR(new RealData(x, y, sx: sx, sy: sy, rxy: r), model, new[] { 2.0, -0.3 }, sstol: 1e-15, partol: 1e-15, maxit: 200);
        odr.SetJob(deriv: deriv);
        var o = odr.Run();
        Assert.True(o.Converged, $"info {o.Info}");

        var deltas = new double[n];
        double atFit = BruteObjective(o.Beta, x, y, sx, sy, r, deltas);
        Assert.True(Relative(atFit, o.SumSquare) < 1e-9, $"objective {atFit:R} vs sum_square {o.SumSquare:R}");
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(deltas[i] - o.Delta[0, i]) < 1e-5 * sx[i], $"delta[{i}]: {o.Delta[0, i]:R} vs brute force {deltas[i]:R}");
            double f = o.Beta[0] * Math.Exp(o.Beta[1] * o.XPlus[0, i]);
            Assert.True(Math.Abs(o.Eps[0, i] - (f - y[i])) < 1e-12, $"eps[{i}] is not f(x + delta) - y");
        }

        var sd = o.SdBeta;
        foreach (double h in new[] { 1e-3, 1e-5 })
        {
            foreach (var (d0, d1) in new[] { (1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1) })
            {
                var beta = new[] { o.Beta[0] + d0 * h * sd[0], o.Beta[1] + d1 * h * sd[1] };
                double v = BruteObjective(beta, x, y, sx, sy, r);
                Assert.True(v >= atFit * (1 - 1e-12), $"beta {beta[0]:R}, {beta[1]:R} lowers the objective: {v:R} < {atFit:R}");
            }
        }

        // The correlation matters: ignoring it gives another fit.
        var plain = new ODR(new RealData(x, y, sx: sx, sy: sy), model, new[] { 2.0, -0.3 }, sstol: 1e-15, partol: 1e-15).Run();
        Assert.True(Math.Abs(plain.Beta[1] - o.Beta[1]) > 1e-3 * sd[1]);
    }

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    /// <summary>Chunked parallel model calls apply each observation's correction: the same fit as the
    /// serial one, bit for bit.</summary>
    [Fact]
    public void ParallelChunksGiveTheSerialFit()
    {
        var rng = new Random(7);
        int n = 3 * 2048 + 17;
        var x = Enumerable.Range(0, n).Select(i => 10.0 * i / n + 0.01 * Gauss(rng)).ToArray();
        var y = x.Select(v => 1.5 * Math.Exp(-0.2 * v) + 0.01 * Gauss(rng)).ToArray();
        var r = Uniform(rng, n, -0.8, 0.8);
        var model = new Model((b, t) => b[0] * Math.Exp(b[1] * t));
        Output Fit(int dop)
        {
            var odr = new ODR(new RealData(x, y, sx: 0.01, sy: 0.01, rxy: r), model, new[] { 1.0, -0.1 }) { MaxDegreeOfParallelism = dop, ParallelModelEvaluation = true };
            return odr.Run();
        }
        var serial = Fit(1);
        var parallel = Fit(4);
        FitAssert.BitIdentical(serial, parallel);
    }

    [Theory]
    [InlineData(1.0, "rxy must lie strictly between -1 and 1; got 1")]
    [InlineData(-1.5, "got -1.5")]
    [InlineData(double.NaN, "got NaN")]
    public void CorrelationOutsideTheOpenIntervalIsRefused(double bad, string message)
    {
        var r = new[] { 0.0, 0.2, bad, 0.1 };
        var e = Assert.Throws<ArgumentException>(() => new RealData(new[] { 1.0, 2, 3, 4 }, new[] { 1.0, 2, 3, 5 }, sx: 0.1, sy: 0.1, rxy: r));
        Assert.Contains(message, e.Message);
        Assert.Contains("observation 2", e.Message);
        Assert.Equal("rxy", e.ParamName);
    }

    [Fact]
    public void CorrelationNeedsOneInputOneResponseAndStandardDeviations()
    {
        double[] x = { 1, 2, 3, 4 }, y = { 1, 2, 3, 5 };
        Assert.Contains("covx", Assert.Throws<ArgumentException>(() => new RealData(x, y, covx: new[] { 0.1, 0.1, 0.1, 0.1 }, sy: 0.1, rxy: 0.5)).Message);
        Assert.Contains("covx or covy", Assert.Throws<ArgumentException>(() => new RealData(x, y, sx: 0.1, covy: new[] { 0.1, 0.1, 0.1, 0.1 }, rxy: 0.5)).Message);
        Assert.Contains("needs sx and sy", Assert.Throws<ArgumentException>(() => new RealData(x, y, sy: 0.1, rxy: 0.5)).Message);
        Assert.Contains("needs sx and sy", Assert.Throws<ArgumentException>(() => new RealData(x, y, sx: 0.1, rxy: 0.5)).Message);
        Assert.Contains("one input", Assert.Throws<ArgumentException>(() => new RealData(new double[,] { { 1, 2, 3, 4 }, { 0, 1, 0, 1 } }, y, sx: 0.1, sy: 0.1, rxy: 0.5)).Message);
        Assert.Contains("one response", Assert.Throws<ArgumentException>(() => new RealData(x, new double[,] { { 1, 2, 3, 4 }, { 0, 1, 0, 1 } }, sx: 0.1, sy: 0.1, rxy: 0.5)).Message);
        Assert.Contains("implicit", Assert.Throws<ArgumentException>(() => new RealData(x, null, sx: 0.1, rxy: 0.5)).Message);
        Assert.Contains("expected a scalar or (4,)", Assert.Throws<ArgumentException>(() => new RealData(x, y, sx: 0.1, sy: 0.1, rxy: new[] { 0.1, 0.2 })).Message);
    }

    [Theory]
    [InlineData(2, "ordinary least squares")]
    [InlineData(1, "implicit")]
    public void CorrelationNeedsAnExplicitOdrFit(int fitType, string message)
    {
        double[] x = { 1, 2, 3, 4 }, y = { 1, 2, 3, 5 };
        var odr = new ODR(new RealData(x, y, sx: 0.1, sy: 0.1, rxy: 0.5), AnalyticLine, new[] { 1.0, 0.0 });
        odr.SetJob(fitType: fitType);
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => odr.Run()).Message);
    }

    private static (double[] X, double[] Y, double[] Sx, double[] Sy, double[] R, Output Fit, FitInference Inference) PearsonPerObservation()
    {
        var c = YorkCase("pearson-york r per observation");
        double[] x = Doubles(c.GetProperty("x")), y = Doubles(c.GetProperty("y")), sx = Doubles(c.GetProperty("sx")), sy = Doubles(c.GetProperty("sy")), r = Doubles(c.GetProperty("r"));
        var odr = new ODR(new RealData(x, y, sx: sx, sy: sy, rxy: r), AnalyticLine, OrdinaryLine(x, y), sstol: 1e-15, partol: 1e-15);
        odr.SetJob(deriv: 3);
        var o = odr.Run();
        return (x, y, sx, sy, r, o, new FitInference(odr, o));
    }

    /// <summary>The log-likelihood is that of independent bivariate normal (δ_i, ε_i) with covariances
    /// s²·Σ_i at the maximum-likelihood scale s² = S/(2n), written out from the density.</summary>
    [Fact]
    public void LogLikelihoodIsTheBivariateNormalOne()
    {
        var (x, y, sx, sy, r, o, inference) = PearsonPerObservation();
        int n = x.Length;
        double s2 = o.SumSquare / (2 * n), logL = 0;
        for (int i = 0; i < n; i++)
        {
            double vx = s2 * sx[i] * sx[i], vy = s2 * sy[i] * sy[i], cxy = s2 * r[i] * sx[i] * sy[i];
            double det = vx * vy - cxy * cxy, d = o.Delta[0, i], e = o.Eps[0, i];
            double quad = (vy * d * d - 2 * cxy * d * e + vx * e * e) / det;
            logL += -Math.Log(2 * Math.PI) - 0.5 * Math.Log(det) - 0.5 * quad;
        }
        var gof = inference.GoodnessOfFit();
        Assert.True(Relative(logL, gof.LogLikelihood) < 1e-10, $"log-likelihood {gof.LogLikelihood:R} vs {logL:R}");
        Assert.Equal(o.SumSquare, gof.ChiSquare);
    }

    /// <summary>A new point by default has the data's mean error covariance: the prediction variance is
    /// gᵀCg + res_var·(mean sy² + b²·mean sx² − 2b·mean(r·sx·sy)) for the line y = a + b·x.</summary>
    [Fact]
    public void PredictionUsesTheMeanErrorCovariance()
    {
        var (_, _, sx, sy, r, o, inference) = PearsonPerObservation();
        int n = sx.Length;
        double msx2 = Enumerable.Range(0, n).Average(i => sx[i] * sx[i]), msy2 = Enumerable.Range(0, n).Average(i => sy[i] * sy[i]);
        double mcov = Enumerable.Range(0, n).Average(i => r[i] * sx[i] * sy[i]);
        double b = o.Beta[0], at = 3.0;
        double curve = o.ResVar * (at * at * o.CovBeta[0, 0] + 2 * at * o.CovBeta[0, 1] + o.CovBeta[1, 1]);
        double expected = Math.Sqrt(curve + o.ResVar * (msy2 + b * b * msx2 - 2 * b * mcov));
        var p = inference.Predict(new[] { at })[0];
        Assert.True(Relative(expected, p.PredictionStandardError) < 1e-9, $"{p.PredictionStandardError:R} vs {expected:R}");
        Assert.True(Relative(Math.Sqrt(curve), p.StandardError) < 1e-9);
    }

    [Fact]
    public void BootstrapRefusesCorrelatedErrors()
    {
        var (_, _, _, _, _, _, inference) = PearsonPerObservation();
        Assert.Contains("rxy", Assert.Throws<NotSupportedException>(() => inference.Bootstrap()).Message);
    }

    [Fact]
    public void CorrelationIsReported()
    {
        var data = new RealData(new[] { 1.0, 2, 3 }, new[] { 1.0, 2, 4 }, sx: 0.1, sy: 0.2, rxy: new[] { 0.1, -0.2, 0.3 });
        Assert.Equal(-0.2, data.XyCorrelation(1));
        Assert.Equal(0.0, new RealData(new[] { 1.0, 2, 3 }, new[] { 1.0, 2, 4 }).XyCorrelation(1));
    }
}
