using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Odr.Cli.Tests;

public class FitTests
{
    private static readonly double[] York = [5.47991022, -0.48053340];

    /// <summary>York's (1966) line for Pearson's data, to 1e-5 relative.</summary>
    private static void AssertYork(double[] beta)
    {
        AssertRelative(York[0], beta[0], 1e-5, "a");
        AssertRelative(York[1], beta[1], 1e-5, "b");
    }

    private static double[] Beta(JsonDocument doc) => [.. doc.RootElement.GetProperty("beta").EnumerateArray().Select(e => e.GetDouble())];

    private static void AssertRelative(double expected, double actual, double tolerance, string what)
    {
        double rel = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(rel <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {rel:E2} > {tolerance:E0})");
    }

    [Fact]
    public void DemoReproducesYorksSolution()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("demo", "--plot", dir.Combine("fit.svg"), "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        AssertYork(Beta(doc));
    }

    [Fact]
    public void DemoPrintsTheSummaryAndTheLiteratureSolution()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("demo", "--plot", dir.Combine("fit.png"));
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("Beta: [ 5.4799", r.Stdout);
        Assert.Contains("Reason(s) for Halting:", r.Stdout);
        Assert.Contains("5.47991022", r.Stdout);
    }

    [Fact]
    public void ShippedExampleWithWeightsMatchesYork()
    {
        using var dir = new TempDir();
        string json = dir.Combine("out.json");
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        byte[] before = File.ReadAllBytes(data);
        var r = CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "5,-0.5", "--wx", "wx", "--wy", "wy", "--json", json);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("Beta:", r.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        AssertYork(Beta(doc));
        Assert.Equal(before, File.ReadAllBytes(data));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void StandardDeviationColumnsEqualWeightColumns()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("x,y,sx,sy\n");
        double[] x = [0.0, 0.9, 1.8, 2.6, 3.3, 4.4, 5.2, 6.1, 6.5, 7.4];
        double[] y = [5.9, 5.4, 4.4, 4.6, 3.5, 3.7, 2.8, 2.8, 2.4, 1.5];
        double[] wx = [1000, 1000, 500, 800, 200, 80, 60, 20, 1.8, 1];
        double[] wy = [1, 1.8, 4, 8, 20, 20, 70, 70, 100, 500];
        for (int i = 0; i < x.Length; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{x[i]:R},{y[i]:R},{1 / Math.Sqrt(wx[i]):R},{1 / Math.Sqrt(wy[i]):R}\n");
        }
        string data = dir.File("pearson_sigma.csv", sb.ToString());
        var r = CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0=5,-0.5", "--sx", "sx", "--sy", "sy", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        AssertYork(Beta(doc));
    }

    [Fact]
    public void NistMisra1aReproducesTheCertifiedValues()
    {
        string data = Path.Combine(CliRunner.DataDir, "misra1a.csv");
        var r = CliRunner.Run("fit", data, "--x", "pressure", "--y", "volume", "--model", "B0*(1-exp(-B1*pressure))",
            "--beta0", "500,1e-4", "--fit", "ols", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var beta = Beta(doc);
        AssertRelative(2.3894212918E+02, beta[0], 1e-6, "b1");
        AssertRelative(5.5015643181E-04, beta[1], 1e-6, "b2");
        var sd = doc.RootElement.GetProperty("sd_beta").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        AssertRelative(2.7070075241E+00, sd[0], 1e-4, "sd b1");
        AssertRelative(7.2668688436E-06, sd[1], 1e-4, "sd b2");
        AssertRelative(1.2455138894E-01, doc.RootElement.GetProperty("sum_square").GetDouble(), 1e-6, "residual sum of squares");
        Assert.Equal(12, doc.RootElement.GetProperty("degrees_of_freedom").GetInt32());
    }

    [Fact]
    public void NistMisra1aWithBracketParametersAndCentralDifferences()
    {
        string data = Path.Combine(CliRunner.DataDir, "misra1a.csv");
        var r = CliRunner.Run("fit", data, "--x", "pressure", "--y", "volume", "--model", "B[0]*(1-exp(-B[1]*x))",
            "--beta0", "500,1e-4", "--fit", "ols", "--deriv", "central", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var beta = Beta(doc);
        AssertRelative(2.3894212918E+02, beta[0], 1e-5, "b1");
        AssertRelative(5.5015643181E-04, beta[1], 1e-5, "b2");
    }

    [Fact]
    public void ImplicitCircleFitFindsCentreAndRadius()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("# points near a circle of centre (2, -1) and radius 3\nx,y\n");
        const int N = 24;
        for (int i = 0; i < N; i++)
        {
            double t = 2 * Math.PI * i / N;
            double r = 3 + 0.02 * Math.Sin(7.3 * i);
            sb.Append(CultureInfo.InvariantCulture, $"{2 + r * Math.Cos(t):R},{-1 + r * Math.Sin(t):R}\n");
        }
        string data = dir.File("circle.csv", sb.ToString());
        var r2 = CliRunner.Run("fit", data, "--fit", "implicit", "--model", "(x - B0)^2 + (y - B1)^2 - B2^2", "--beta0", "1.5,-0.5,2", "--json", "-");
        Assert.True(r2.Code == 0, r2.ToString());
        using var doc = JsonDocument.Parse(r2.Stdout);
        var beta = Beta(doc);
        Assert.InRange(beta[0], 1.99, 2.01);
        Assert.InRange(beta[1], -1.01, -0.99);
        Assert.InRange(Math.Abs(beta[2]), 2.99, 3.01);
        Assert.Equal(2, doc.RootElement.GetProperty("delta").GetArrayLength());
        Assert.Empty(doc.RootElement.GetProperty("responses").EnumerateArray());
    }

    [Fact]
    public void ImplicitCircleTextOutputShowsTheEquation()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 12; i++)
        {
            double t = 2 * Math.PI * i / 12;
            sb.Append(CultureInfo.InvariantCulture, $"{1 + 2 * Math.Cos(t):R},{2 * Math.Sin(t):R}\n");
        }
        string data = dir.File("circle.csv", sb.ToString());
        var r = CliRunner.Run("fit", data, "--fit", "implicit", "--model", "(x-B0)^2 + (y-B1)^2 - B2^2", "--beta0=0.5,-0.2,1.5");
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("implicit", r.Stdout);
        Assert.Contains("Model: 0 = ", r.Stdout);
    }

    [Fact]
    public void TwoInputModelRecoversExactParameters()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("time,temp,signal\n");
        for (int i = 0; i < 15; i++)
        {
            double t = 0.3 * i, u = 20 + 3 * Math.Cos(i);
            double s = 2.5 * Math.Exp(-0.4 * t) + 0.05 * u;
            sb.Append(CultureInfo.InvariantCulture, $"{t:R},{u:R},{s:R}\n");
        }
        string data = dir.File("two.csv", sb.ToString());
        var r = CliRunner.Run("fit", data, "--x", "time,temp", "--y", "signal", "--model", "B0*exp(B1*time) + B2*temp",
            "--beta0=2,-0.3,0.1", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var beta = Beta(doc);
        Assert.Equal(2.5, beta[0], 1e-6);
        Assert.Equal(-0.4, beta[1], 1e-6);
        Assert.Equal(0.05, beta[2], 1e-7);
        var delta = doc.RootElement.GetProperty("delta");
        Assert.Equal(2, delta.GetArrayLength());
        Assert.Equal(15, delta[0].GetArrayLength());
    }

    [Fact]
    public void TwoInputModelByIndexNames()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("\"a (s)\",\"b (K)\",out\n");
        for (int i = 0; i < 10; i++)
        {
            double a = i, b = 0.5 * i * i - 3;
            sb.Append(CultureInfo.InvariantCulture, $"{a:R},{b:R},{1 + 2 * a - 0.5 * b:R}\n");
        }
        string data = dir.File("idx.csv", sb.ToString());
        var r = CliRunner.Run("fit", data, "--x", "a (s),b (K)", "--y", "out", "--model", "B0 + B1*x[0] + B2*x[1]", "--beta0", "0,1,0", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        var beta = Beta(JsonDocument.Parse(r.Stdout));
        Assert.Equal(1, beta[0], 1e-8);
        Assert.Equal(2, beta[1], 1e-8);
        Assert.Equal(-0.5, beta[2], 1e-8);
    }

    [Fact]
    public void TwoResponsesShareParameters()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("t,u,v\n");
        for (int i = 0; i < 12; i++)
        {
            double t = 0.5 * i;
            sb.Append(CultureInfo.InvariantCulture, $"{t:R},{3 * Math.Cos(0.7 * t):R},{3 * Math.Sin(0.7 * t):R}\n");
        }
        string data = dir.File("two.csv", sb.ToString());
        var r = CliRunner.Run("fit", data, "--y", "u,v", "--model", "B0*cos(B1*t)", "--model", "B0*sin(B1*t)", "--beta0", "2.5,0.6", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var beta = Beta(doc);
        Assert.Equal(3, beta[0], 1e-7);
        Assert.Equal(0.7, beta[1], 1e-7);
        Assert.Equal(2, doc.RootElement.GetProperty("eps").GetArrayLength());
    }

    [Fact]
    public void JsonHasEveryOutputFieldWithScipyNames()
    {
        using var dir = new TempDir();
        string json = dir.Combine("result.json");
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        var r = CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "5,-0.5", "--wx", "wx", "--wy", "wy", "--json", json, "--report", "none");
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        foreach (var name in new[] { "beta", "sd_beta", "cov_beta", "delta", "eps", "xplus", "y", "res_var", "sum_square", "sum_square_delta", "sum_square_eps", "inv_condnum", "rel_error", "info", "stopreason", "iterations", "nfev", "njev", "confidence_intervals" })
        {
            Assert.True(root.TryGetProperty(name, out _), $"missing {name}");
        }
        Assert.Equal(2, root.GetProperty("beta").GetArrayLength());
        Assert.Equal(2, root.GetProperty("cov_beta").GetArrayLength());
        Assert.Equal(2, root.GetProperty("cov_beta")[1].GetArrayLength());
        Assert.Equal(10, root.GetProperty("delta").GetArrayLength());
        Assert.Equal(10, root.GetProperty("eps").GetArrayLength());
        Assert.Equal(10, root.GetProperty("xplus").GetArrayLength());
        Assert.Equal(10, root.GetProperty("y").GetArrayLength());
        Assert.InRange(root.GetProperty("info").GetInt32() % 10, 1, 3);
        Assert.True(root.GetProperty("converged").GetBoolean());
        Assert.True(root.GetProperty("iterations").GetInt32() > 0);
        Assert.True(root.GetProperty("nfev").GetInt32() > 0);
        Assert.True(root.GetProperty("njev").GetInt32() > 0);
        double beta0 = root.GetProperty("beta")[0].GetDouble();
        double sd0 = root.GetProperty("sd_beta")[0].GetDouble();
        var ci = root.GetProperty("confidence_intervals")[0];
        Assert.True(ci[0].GetDouble() < beta0 && beta0 < ci[1].GetDouble());
        Assert.Equal(beta0 - ci[0].GetDouble(), ci[1].GetDouble() - beta0, 1e-10);
        Assert.True(ci[1].GetDouble() - beta0 > sd0);

        // x + delta = xplus, and the fitted y equals the model at xplus.
        for (int i = 0; i < 10; i++)
        {
            double xplus = root.GetProperty("xplus")[i].GetDouble();
            double delta = root.GetProperty("delta")[i].GetDouble();
            double yfit = root.GetProperty("y")[i].GetDouble();
            Assert.Equal(root.GetProperty("beta")[0].GetDouble() + root.GetProperty("beta")[1].GetDouble() * xplus, yfit, 1e-10);
            Assert.Equal(xplus - delta, new[] { 0.0, 0.9, 1.8, 2.6, 3.3, 4.4, 5.2, 6.1, 6.5, 7.4 }[i], 1e-12);
        }
        Assert.Contains("Beta:", r.Stdout);
        Assert.DoesNotContain("Final weighted", r.Stdout);
    }

    [Fact]
    public void JsonToStdoutPrintsOnlyJson()
    {
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        var r = CliRunner.Run("fit", data, "-m", "linear", "-b", "5,-0.5", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
    }

    [Fact]
    public void FixedParameterStaysAtItsStartingValue()
    {
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        var r = CliRunner.Run("fit", data, "--model", "B0 + B1*x + B2*x^2", "--beta0=5,-0.5,0.25", "--fix", "B2", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        var beta = Beta(JsonDocument.Parse(r.Stdout));
        Assert.Equal(0.25, beta[2]);
        var free = Beta(JsonDocument.Parse(CliRunner.Run("fit", data, "--model", "B0 + B1*x + B2*x^2", "--beta0=5,-0.5,0.25", "--json", "-").Stdout));
        Assert.NotEqual(0.25, free[2]);
    }

    [Fact]
    public void FixAcceptsBracketNamesAndTextShowsFixed()
    {
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        var r = CliRunner.Run("fit", data, "--model", "B[0] + B[1]*x", "--beta0=5,-0.5", "--fix", "B[1]");
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("(fixed)", r.Stdout);
        Assert.Contains("-0.5", r.Stdout);
    }

    [Fact]
    public void BoundsAreRespected()
    {
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        var r = CliRunner.Run("fit", data, "--model", "linear", "--beta0=5.2,-0.45", "--lower", "-inf,-0.46", "--upper", "5.3,inf", "--json", "-");
        Assert.Contains(r.Code, new[] { 0, 3 });
        var beta = Beta(JsonDocument.Parse(r.Stdout));
        Assert.InRange(beta[0], double.NegativeInfinity, 5.3 + 1e-12);
        Assert.InRange(beta[1], -0.46 - 1e-12, double.PositiveInfinity);
    }

    [Theory]
    [InlineData("--beta0=-2,0.5")]
    [InlineData("-2,0.5")]
    public void NegativeStartingValuesParse(string beta0)
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 8; i++) sb.Append(CultureInfo.InvariantCulture, $"{i},{-2 + 0.5 * i + 0.01 * Math.Sin(i)}\n");
        string data = dir.File("neg.csv", sb.ToString());
        string[] args = beta0.StartsWith("--", StringComparison.Ordinal)
            ? ["fit", data, "--model", "B0 + B1*x", beta0, "--json", "-"]
            : ["fit", data, "--model", "B0 + B1*x", "--beta0", beta0, "--json", "-"];
        var r = CliRunner.Run(args);
        Assert.True(r.Code == 0, r.ToString());
        var beta = Beta(JsonDocument.Parse(r.Stdout));
        Assert.Equal(-2, beta[0], 0.05);
        Assert.Equal(0.5, beta[1], 0.01);
    }

    [Theory]
    [InlineData("quadratic", "1,1,0.5")]
    [InlineData("cubic", "0.5,1,1,0.1")]
    public void AliasesFitExactPolynomials(string alias, string beta0)
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 9; i++)
        {
            double x = i - 4;
            sb.Append(CultureInfo.InvariantCulture, $"{x},{1 - 2 * x + 0.5 * x * x}\n");
        }
        string data = dir.File("poly.csv", sb.ToString());
        var r = CliRunner.Run("fit", data, "--model", alias, "--beta0", beta0, "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        var beta = Beta(JsonDocument.Parse(r.Stdout));
        if (alias == "quadratic") Array.Reverse(beta); // scipy's quadratic: B0*x^2 + B1*x + B2
        Assert.Equal(1, beta[0], 1e-7);
        Assert.Equal(-2, beta[1], 1e-7);
        Assert.Equal(0.5, beta[2], 1e-7);
        if (beta.Length == 4) Assert.Equal(0, beta[3], 1e-7);
    }

    [Theory]
    [InlineData("analytic")]
    [InlineData("forward")]
    [InlineData("central")]
    public void DerivativeChoicesAgree(string deriv)
    {
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        var r = CliRunner.Run("fit", data, "--model", "B0*exp(B1*x)", "--beta0", "6,-0.1", "--deriv", deriv, "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        var beta = Beta(JsonDocument.Parse(r.Stdout));
        var reference = Beta(JsonDocument.Parse(CliRunner.Run("fit", data, "--model", "B0*exp(B1*x)", "--beta0", "6,-0.1", "--json", "-").Stdout));
        Assert.Equal(reference[0], beta[0], 1e-4);
        Assert.Equal(reference[1], beta[1], 1e-5);
    }

    [Fact]
    public void IterationLimitExitsWithThreeAndSaysWhy()
    {
        string data = Path.Combine(CliRunner.DataDir, "misra1a.csv");
        var r = CliRunner.Run("fit", data, "--x", "pressure", "--y", "volume", "--model", "B0*(1-exp(-B1*pressure))",
            "--beta0", "500,1e-4", "--fit", "ols", "--maxit", "1");
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains("Iteration limit", r.Stderr);
        Assert.Contains("info 4", r.Stderr);
        Assert.Contains("Beta:", r.Stdout);
    }

    [Fact]
    public void ReportLevels()
    {
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        string[] common = ["fit", data, "--model", "linear", "--beta0", "5,-0.5"];
        var none = CliRunner.Run([.. common, "--report", "none"]);
        var shortReport = CliRunner.Run([.. common]);
        var longReport = CliRunner.Run([.. common, "--report", "long"]);
        var iterations = CliRunner.Run([.. common, "--report", "iterations"]);
        Assert.All(new[] { none, shortReport, longReport, iterations }, r => Assert.True(r.Code == 0, r.ToString()));
        Assert.True(shortReport.Stdout.Length > none.Stdout.Length, "short report adds text");
        Assert.True(longReport.Stdout.Length >= shortReport.Stdout.Length, "long report is at least as long as short");
        Assert.True(iterations.Stdout.Length >= shortReport.Stdout.Length, "iteration report is at least as long as short");
        Assert.StartsWith(none.Stdout.TrimEnd(), shortReport.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvQuotedFieldsBlankLinesCommentsAndCrlf()
    {
        using var dir = new TempDir();
        string text = "# a comment before the header\r\n\r\n\"label\",\"x\",\"y\"\r\n\"a, first\",1,3.1\r\n\r\n# comment in the middle\r\n\"b\",2,4.9\r\n\"c\",  3 , 7.2\r\n\"d\",4,8.8\r\n\r\n";
        string data = dir.File("messy.csv", text);
        var r = CliRunner.Run("fit", data, "--x", "x", "--y", "y", "--model", "linear", "--beta0", "1,2", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(4, doc.RootElement.GetProperty("y").GetArrayLength());
    }

    [Fact]
    public void OutputFileIsReplacedWhole()
    {
        using var dir = new TempDir();
        string json = dir.File("result.json", "old content");
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        var r = CliRunner.Run("fit", data, "--model", "linear", "--beta0", "5,-0.5", "--json", json);
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void HelpListsTheOptions()
    {
        var r = CliRunner.Run("fit", "--help");
        Assert.Equal(0, r.Code);
        foreach (var option in new[] { "--model", "--beta0", "--x", "--y", "--sx", "--sy", "--fit", "--fix", "--lower", "--upper", "--deriv", "--maxit", "--sstol", "--partol", "--taufac", "--report", "--plot", "--json" })
        {
            Assert.Contains(option, r.Stdout);
        }
    }

    [Fact]
    public void RankDeficientModelConvergesWithAWarning()
    {
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        var r = CliRunner.Run("fit", data, "--model", "B0 + B1*x + B2*x", "--beta0", "5,-0.2,-0.2", "--report", "none");
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("warning", r.Stderr);
        Assert.Contains("not full rank", r.Stderr);
    }

    [Fact]
    public void UnusedParameterIsHeldFixed()
    {
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        var r = CliRunner.Run("fit", data, "--model", "B0 + B2*x", "--beta0", "5,7,-0.5", "--wx", "wx", "--wy", "wy", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        var beta = Beta(JsonDocument.Parse(r.Stdout));
        Assert.Equal(7, beta[1]);
        AssertRelative(York[0], beta[0], 1e-5, "a");
        AssertRelative(York[1], beta[2], 1e-5, "b");
    }

    [Fact]
    public void VersionAndRootHelp()
    {
        var help = CliRunner.Run("--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("odr [command]", help.Stdout);
        Assert.Contains("demo", help.Stdout);
        var version = CliRunner.Run("--version");
        Assert.Equal(0, version.Code);
        Assert.StartsWith("0.", version.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("circle.csv", "--fit implicit --model (x-B0)^2+(y-B1)^2-B2^2 --beta0=1.5,-0.5,2", new[] { 2.0, -1.0, 3.0 }, 0.02)]
    [InlineData("misra1a.csv", "--x pressure --y volume --model B0*(1-exp(-B1*pressure)) --beta0 500,1e-4 --fit ols", new[] { 2.3894212918E+02, 5.5015643181E-04 }, 1e-6)]
    public void ShippedExamplesFit(string file, string options, double[] expected, double tolerance)
    {
        string data = Path.Combine(CliRunner.ExampleDir, file);
        var r = CliRunner.Run(["fit", data, .. options.Split(' '), "--json", "-"]);
        Assert.True(r.Code == 0, r.ToString());
        var beta = Beta(JsonDocument.Parse(r.Stdout));
        for (int k = 0; k < expected.Length; k++) AssertRelative(Math.Abs(expected[k]), Math.Abs(beta[k]), tolerance, $"B{k}");
    }
}
