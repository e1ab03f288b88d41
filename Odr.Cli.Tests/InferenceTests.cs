using System.Globalization;
using System.Text;
using System.Text.Json;
using MathNet.Numerics.Distributions;

namespace Odr.Cli.Tests;

/// <summary>
/// Inference in <c>odr fit</c> (issue 22): intervals by method and level, goodness of fit, predictions.
/// Checked against closed forms of the straight line, R (nls, MASS) on NIST's Misra1a, and the library
/// called directly for the seeded bootstrap.
/// </summary>
public class InferenceTests
{
    private const int N = 12;

    /// <summary>A line with deterministic scatter; sy varies per row (for the weighted cases).</summary>
    private static (double[] X, double[] Y, double[] Sy) Line()
    {
        var x = new double[N];
        var y = new double[N];
        var sy = new double[N];
        for (int i = 0; i < N; i++)
        {
            x[i] = i;
            y[i] = 1.5 + 0.8 * i + 0.3 * Math.Sin(2.1 * i + 0.4);
            sy[i] = 0.2 + 0.05 * (i % 3);
        }
        return (x, y, sy);
    }

    private static string LineFile(TempDir dir)
    {
        var (x, y, sy) = Line();
        var sb = new StringBuilder("x,y,sy\n");
        for (int i = 0; i < N; i++) sb.Append(CultureInfo.InvariantCulture, $"{x[i]:R},{y[i]:R},{sy[i]:R}\n");
        return dir.File("line.csv", sb.ToString());
    }

    /// <summary>Weighted least squares of a line in closed form (normal equations): intercept, slope,
    /// weighted residual sum of squares, Sxx about the weighted mean, the weighted mean of x and Σw.</summary>
    private static (double A, double B, double S, double Sxx, double XBar, double W) LeastSquares(double[] w)
    {
        var (x, y, _) = Line();
        double sw = w.Sum(), xbar = 0, ybar = 0;
        for (int i = 0; i < N; i++)
        {
            xbar += w[i] * x[i] / sw;
            ybar += w[i] * y[i] / sw;
        }
        double sxx = 0, sxy = 0;
        for (int i = 0; i < N; i++)
        {
            sxx += w[i] * (x[i] - xbar) * (x[i] - xbar);
            sxy += w[i] * (x[i] - xbar) * (y[i] - ybar);
        }
        double b = sxy / sxx, a = ybar - b * xbar, s = 0;
        for (int i = 0; i < N; i++) s += w[i] * Math.Pow(y[i] - a - b * x[i], 2);
        return (a, b, s, sxx, xbar, sw);
    }

    private static double[] Ones => [.. Enumerable.Repeat(1.0, N)];

    private static JsonElement Json(CliResult r)
    {
        Assert.True(r.Code == 0, r.ToString());
        return JsonDocument.Parse(r.Stdout).RootElement;
    }

    private static (double Lower, double Upper)[] Intervals(JsonElement root) =>
        [.. root.GetProperty("confidence_intervals").EnumerateArray().Select(e => (e[0].GetDouble(), e[1].GetDouble()))];

    private static void AssertRelative(double expected, double actual, double tolerance, string what)
    {
        double rel = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(rel <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {rel:E2} > {tolerance:E0})");
    }

    /// <summary>The ordinary least squares line's Wald intervals: a ± t·s·sqrt(1/n + x̄²/Sxx), b ± t·s/sqrt(Sxx).</summary>
    private static (double Lower, double Upper)[] TextbookIntervals(double level)
    {
        var (a, b, s, sxx, xbar, _) = LeastSquares(Ones);
        double sigma = Math.Sqrt(s / (N - 2));
        double t = StudentT.InvCDF(0, 1, N - 2, 0.5 + level / 2);
        double ha = t * sigma * Math.Sqrt(1.0 / N + xbar * xbar / sxx), hb = t * sigma / Math.Sqrt(sxx);
        return [(a - ha, a + ha), (b - hb, b + hb)];
    }

    [Fact]
    public void WaldIntervalsAtAnyLevelAreTheTextbookOnes()
    {
        using var dir = new TempDir();
        string data = LineFile(dir);
        var root = Json(CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "1,1", "--fit", "ols", "--level", "0.9", "--json", "-"));
        Assert.Equal("wald", root.GetProperty("ci_method").GetString());
        Assert.Equal(0.9, root.GetProperty("ci_level").GetDouble());
        var expected = TextbookIntervals(0.9);
        var actual = Intervals(root);
        for (int k = 0; k < 2; k++)
        {
            AssertRelative(expected[k].Lower, actual[k].Lower, 1e-9, $"B{k} lower");
            AssertRelative(expected[k].Upper, actual[k].Upper, 1e-9, $"B{k} upper");
        }
        var table = CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "1,1", "--fit", "ols", "--level", "0.9");
        Assert.Contains("Std. error    90% Wald interval", table.Stdout);
    }

    [Fact]
    public void TheProfileIntervalOfALinearModelIsItsWaldInterval()
    {
        // For a model linear in its parameters S(β) is quadratic, the profile t statistic is linear in the
        // parameter, and the profile interval is exactly beta ± t·sd.
        using var dir = new TempDir();
        string data = LineFile(dir);
        var r = CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "1,1", "--fit", "ols", "--ci", "profile", "--json", "-");
        var root = Json(r);
        Assert.Equal("profile", root.GetProperty("ci_method").GetString());
        var expected = TextbookIntervals(0.95);
        var actual = Intervals(root);
        for (int k = 0; k < 2; k++)
        {
            AssertRelative(expected[k].Lower, actual[k].Lower, 1e-7, $"B{k} lower");
            AssertRelative(expected[k].Upper, actual[k].Upper, 1e-7, $"B{k} upper");
        }
        var table = CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "1,1", "--fit", "ols", "--ci", "profile");
        Assert.Contains("Std. error    95% profile interval", table.Stdout);
    }

    [Fact]
    public void Misra1aMatchesR()
    {
        // R 4.2.2 and MASS 7.3.58.2 on NIST's Misra1a as OLS (Odr.Tests/Data/inference/r-nls-reference.json,
        // made by make_r_reference.R): nls's Wald intervals, the exact profile-t crossing, logLik, AIC, BIC.
        string data = Path.Combine(CliRunner.DataDir, "misra1a.csv");
        string[] fit = ["fit", data, "--x", "pressure", "--y", "volume", "--model", "B0*(1-exp(-B1*pressure))", "--beta0", "500,1e-4", "--fit", "ols", "--json", "-"];

        var wald = Json(CliRunner.Run(fit));
        var w = Intervals(wald);
        AssertRelative(233.04406645852364, w[0].Lower, 1e-8, "B0 Wald lower");
        AssertRelative(244.84019190253153, w[0].Upper, 1e-8, "B0 Wald upper");
        AssertRelative(0.00053432328473788763, w[1].Lower, 1e-8, "B1 Wald lower");
        AssertRelative(0.0005659895788649882, w[1].Upper, 1e-8, "B1 Wald upper");
        AssertRelative(13.189520041885185, wald.GetProperty("log_likelihood").GetDouble(), 1e-9, "logLik");
        AssertRelative(-20.37904008377037, wald.GetProperty("aic").GetDouble(), 1e-9, "AIC");
        AssertRelative(-18.461868094924597, wald.GetProperty("bic").GetDouble(), 1e-9, "BIC");
        var gof = wald.GetProperty("goodness_of_fit");
        AssertRelative(0.12455138894439689, gof.GetProperty("chi2").GetDouble(), 1e-9, "RSS");
        Assert.Equal(12, gof.GetProperty("dof").GetInt32());
        Assert.Equal(JsonValueKind.Null, gof.GetProperty("p_value").ValueKind); // no sigmas given: relative weights

        var profile = Json(CliRunner.Run([.. fit, "--ci", "profile", "--level", "0.9"]));
        var pr = Intervals(profile);
        AssertRelative(234.21794199604923, pr[0].Lower, 1e-6, "B0 profile lower");
        AssertRelative(243.88601773287664, pr[0].Upper, 1e-6, "B0 profile upper");
        AssertRelative(0.0005371980644127256, pr[1].Lower, 1e-6, "B1 profile lower");
        AssertRelative(0.00056313842079406954, pr[1].Upper, 1e-6, "B1 profile upper");
        Assert.Equal(0.9, profile.GetProperty("ci_level").GetDouble());
    }

    [Fact]
    public void GoodnessOfFitOfAWeightedLineIsTheChiSquareTest()
    {
        using var dir = new TempDir();
        string data = LineFile(dir);
        var (_, _, sy) = Line();
        double[] w = [.. sy.Select(s => 1 / (s * s))];
        var (_, _, chi2, _, _, _) = LeastSquares(w);
        var root = Json(CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "1,1", "--fit", "ols", "--sy", "sy", "--json", "-"));
        var gof = root.GetProperty("goodness_of_fit");
        AssertRelative(chi2, gof.GetProperty("chi2").GetDouble(), 1e-10, "chi2");
        Assert.Equal(N - 2, gof.GetProperty("dof").GetInt32());
        AssertRelative(1 - ChiSquared.CDF(N - 2, chi2), gof.GetProperty("p_value").GetDouble(), 1e-9, "p-value");
        AssertRelative(chi2 / (N - 2), gof.GetProperty("reduced_chi2").GetDouble(), 1e-10, "reduced chi2");
        // The Gaussian log-likelihood with σ² estimated (R's logLik for weighted nls):
        // -n/2 (log 2π + 1 - log n + log S) + ½ Σ log wᵢ; k = 3 (two parameters and σ).
        double logL = -N / 2.0 * (Math.Log(2 * Math.PI) + 1 - Math.Log(N) + Math.Log(chi2)) + w.Sum(Math.Log) / 2;
        AssertRelative(logL, root.GetProperty("log_likelihood").GetDouble(), 1e-10, "logLik");
        AssertRelative(-2 * logL + 2 * 3, root.GetProperty("aic").GetDouble(), 1e-10, "AIC");
        AssertRelative(-2 * logL + 3 * Math.Log(N), root.GetProperty("bic").GetDouble(), 1e-10, "BIC");
    }

    [Fact]
    public void PredictionsOfALineAreTheTextbookIntervals()
    {
        using var dir = new TempDir();
        string data = LineFile(dir);
        var r = CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "1,1", "--fit", "ols", "--predict-at", "2.5,20", "--level", "0.99", "--json", "-");
        var predictions = Json(r).GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(2, predictions.Count);
        var (a, b, s, sxx, xbar, _) = LeastSquares(Ones);
        double sigma = Math.Sqrt(s / (N - 2));
        double t = StudentT.InvCDF(0, 1, N - 2, 0.995);
        double[] at = [2.5, 20];
        for (int i = 0; i < 2; i++)
        {
            double x0 = at[i], y0 = a + b * x0;
            double curve = sigma * Math.Sqrt(1.0 / N + Math.Pow(x0 - xbar, 2) / sxx);
            double point = sigma * Math.Sqrt(1 + 1.0 / N + Math.Pow(x0 - xbar, 2) / sxx);
            var p = predictions[i];
            Assert.Equal(x0, p.GetProperty("x").GetDouble());
            AssertRelative(y0, p.GetProperty("y").GetDouble(), 1e-10, "y");
            AssertRelative(y0 - t * curve, p.GetProperty("ci")[0].GetDouble(), 1e-9, "ci low");
            AssertRelative(y0 + t * curve, p.GetProperty("ci")[1].GetDouble(), 1e-9, "ci high");
            AssertRelative(y0 - t * point, p.GetProperty("pi")[0].GetDouble(), 1e-9, "pi low");
            AssertRelative(y0 + t * point, p.GetProperty("pi")[1].GetDouble(), 1e-9, "pi high");
        }
        var table = CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "1,1", "--fit", "ols", "--predict-at", "2.5,20");
        Assert.Contains("Predictions", table.Stdout);
        Assert.Contains("95% prediction interval", table.Stdout);
    }

    [Fact]
    public void TheBootstrapIsTheLibrarysSeededBootstrap()
    {
        using var dir = new TempDir();
        string data = LineFile(dir);
        string[] args = ["fit", data, "--model", "linear", "--beta0", "1,1", "--fit", "ols", "--ci", "bootstrap", "--bootstrap-samples", "200", "--seed", "7", "--json", "-"];
        var first = CliRunner.Run(args);
        var root = Json(first);
        Assert.Equal("bootstrap", root.GetProperty("ci_method").GetString());
        Assert.Equal(first.Stdout, CliRunner.Run(args).Stdout);

        // The same bootstrap by the library: scipy's linear model, OLS, analytic derivatives.
        var (x, y, _) = Line();
        var odr = new ODR(new Data(x, y), Models.Unilinear, [1, 1]);
        odr.SetJob(fitType: 2, deriv: 2);
        odr.Run();
        var expected = new FitInference(odr).Bootstrap(new BootstrapOptions { Samples = 200, Seed = 7 }).PercentileIntervals(0.95);
        var actual = Intervals(root);
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(expected[k].Lower, actual[k].Lower);
            Assert.Equal(expected[k].Upper, actual[k].Upper);
            Assert.InRange(odr.Output!.Beta[k], actual[k].Lower, actual[k].Upper);
        }
        var other = Intervals(Json(CliRunner.Run([.. args[..^4], "--seed", "8", "--json", "-"])));
        Assert.NotEqual(actual[0].Lower, other[0].Lower);
        var table = CliRunner.Run(args[..^2]);
        Assert.Contains("95% bootstrap interval", table.Stdout);
        Assert.Contains("200 residual resamples, seed 7", table.Stdout);
    }

    [Fact]
    public void AnImplicitFitHasNoGoodnessOfFitButKeepsItsKeys()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("u,v\n");
        for (int i = 0; i < 16; i++)
        {
            double t = 2 * Math.PI * i / 16;
            sb.Append(CultureInfo.InvariantCulture, $"{1 + 2 * Math.Cos(t) + 0.01 * Math.Sin(5 * i):R},{-2 + 2 * Math.Sin(t):R}\n");
        }
        string data = dir.File("circle.csv", sb.ToString());
        var root = Json(CliRunner.Run("fit", data, "--fit", "implicit", "--model", "(u-B0)^2 + (v-B1)^2 - B2^2", "--beta0=0.5,-1.5,1.5", "--json", "-"));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("goodness_of_fit").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("aic").ValueKind);
        Assert.Empty(root.GetProperty("predictions").EnumerateArray());
        Assert.Equal(3, root.GetProperty("confidence_intervals").GetArrayLength());
    }

    [Theory]
    [InlineData("--level=0", "--level", "between 0 and 1")]
    [InlineData("--level=1", "--level", "between 0 and 1")]
    [InlineData("--level=95", "--level", "between 0 and 1")]
    [InlineData("--level=NaN", "--level", "between 0 and 1")]
    [InlineData("--ci=bootstrap --bootstrap-samples=9", "--bootstrap-samples", "at least 10")]
    [InlineData("--seed=3", "--seed", "--ci bootstrap")]
    [InlineData("--predict-at=1,two", "--predict-at", "'two'")]
    [InlineData("--model=B0+B1*x+B2*sy --beta0=1,1,0 --predict-at=1", "--predict-at", "2 inputs")]
    [InlineData("--ci=jackknife", "'jackknife'", "wald")]
    public void BadInferenceOptionsAreRefusedBeforeAnythingIsWritten(string extra, string fragment1, string fragment2)
    {
        using var dir = new TempDir();
        string data = LineFile(dir);
        string json = dir.Combine("out.json"), plot = dir.Combine("out.png");
        var args = new List<string> { "fit", data, "--model", "B0 + B1*x", "--beta0", "1,1", "--fit", "ols" };
        foreach (var item in extra.Split(' '))
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            string name = item[..eq];
            int at = args.IndexOf(name);
            if (at >= 0) args.RemoveRange(at, 2);
            args.Add(name);
            args.Add(item[(eq + 1)..]);
        }
        args.AddRange(["--json", json, "--plot", plot]);
        var r = CliRunner.Run([.. args]);
        Assert.True(r.Code == 2, r.ToString());
        string err = r.Stderr.TrimEnd('\n');
        Assert.DoesNotContain('\n', err);
        Assert.StartsWith("odr: ", err, StringComparison.Ordinal);
        Assert.Contains(fragment1, err, StringComparison.Ordinal);
        Assert.Contains(fragment2, err, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
        Assert.Equal([Path.Combine(dir.Path, "line.csv")], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ProfilesOfImplicitFitsAreRefused()
    {
        using var dir = new TempDir();
        string data = dir.File("c.csv", "u,v\n1,0\n0,1\n-1,0\n0,-1.01\n0.7,0.7\n");
        var r = CliRunner.Run("fit", data, "--fit", "implicit", "--model", "u^2 + v^2 - B0^2", "--beta0=1", "--ci", "profile");
        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("explicit fits only", r.Stderr);
        Assert.Equal("", r.Stdout);
    }
}
