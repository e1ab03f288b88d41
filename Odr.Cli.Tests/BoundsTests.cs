using System.Globalization;
using System.Text.Json;

namespace Odr.Cli.Tests;

/// <summary>
/// Bounds in <c>odr fit</c> (issue 19): the default active-set method reaches the constrained optimum,
/// checked against closed forms and against the unbounded solver with the active parameter fixed;
/// <c>--bounds-method odrpack95</c> reproduces ODRPACK95 (TOMS 869) itself.
/// </summary>
public class BoundsTests
{
    private static string Pearson => Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");

    /// <summary>The columns of examples/data/pearson_york.csv, read here independently of the tool.</summary>
    private static (double[] X, double[] Y, double[] Wx, double[] Wy) PearsonColumns()
    {
        var rows = File.ReadAllLines(Pearson).Where(l => l.Length > 0 && l[0] != '#').ToList();
        var header = rows[0].Split(',');
        var values = rows.Skip(1).Select(r => r.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        double[] Column(string name) => [.. values.Select(v => v[Array.IndexOf(header, name)])];
        return (Column("x"), Column("y"), Column("wx"), Column("wy"));
    }

    /// <summary>
    /// A straight line B0 + b·x with b fixed and weights wx, wy: the deltas eliminate in closed form,
    /// S(B0) = Σ Wᵢ (yᵢ − B0 − b xᵢ)² with Wᵢ = 1/(1/wyᵢ + b²/wxᵢ), minimized by the weighted mean.
    /// </summary>
    private static (double B0, double S) LineWithSlope(double b)
    {
        var (x, y, wx, wy) = PearsonColumns();
        double sw = 0, swr = 0;
        var w = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            w[i] = 1 / (1 / wy[i] + b * b / wx[i]);
            sw += w[i];
            swr += w[i] * (y[i] - b * x[i]);
        }
        double b0 = swr / sw, s = 0;
        for (int i = 0; i < x.Length; i++) s += w[i] * Math.Pow(y[i] - b0 - b * x[i], 2);
        return (b0, s);
    }

    private static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    private static void AssertRelative(double expected, double actual, double tolerance, string what)
    {
        double rel = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(rel <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {rel:E2} > {tolerance:E0})");
    }

    [Fact]
    public void ActiveSetReachesTheConstrainedOptimumOfALine()
    {
        var r = CliRunner.Run("fit", Pearson, "--model", "B0 + B1*x", "--beta0=5,-0.6", "--wx", "wx", "--wy", "wy", "--upper", "inf,-0.5", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        var root = JsonDocument.Parse(r.Stdout).RootElement;
        var beta = Doubles(root.GetProperty("beta"));
        Assert.Equal(-0.5, beta[1]);
        var (b0, s) = LineWithSlope(-0.5);
        AssertRelative(b0, beta[0], 1e-6, "B0");
        AssertRelative(s, root.GetProperty("sum_square").GetDouble(), 1e-8, "weighted sum of squares");
        // The figures of issue 19, and KKT: S falls when B1 moves past the bound, so the bound is active.
        Assert.Equal(5.574606, beta[0], 1e-6);
        Assert.Equal(11.978, s, 1e-3);
        Assert.True(LineWithSlope(-0.5 + 1e-4).S < s);

        var atBound = root.GetProperty("at_bound").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, atBound[0].ValueKind);
        Assert.Equal("upper", atBound[1].GetString());
        var ci = root.GetProperty("confidence_intervals").EnumerateArray().ToList();
        Assert.All(ci[1].EnumerateArray(), v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
        Assert.Equal(JsonValueKind.Number, ci[0][0].ValueKind);
    }

    [Fact]
    public void TheTableMarksAParameterOnABoundAndShowsNoIntervalForIt()
    {
        var r = CliRunner.Run("fit", Pearson, "--model", "B0 + B1*x", "--beta0=5,-0.6", "--wx", "wx", "--wy", "wy", "--upper", "inf,-0.5", "--report", "none");
        Assert.True(r.Code == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        string b1 = lines.Single(l => l.StartsWith("B1 ", StringComparison.Ordinal));
        Assert.Contains("(at upper bound)", b1);
        Assert.DoesNotContain("[", b1);
        string b0 = lines.Single(l => l.StartsWith("B0 ", StringComparison.Ordinal));
        Assert.Contains("[", b0);
        Assert.DoesNotContain("bound", b0);
    }

    [Fact]
    public void ActiveSetMatchesTheFitWithTheActiveParameterFixed()
    {
        // Misra1a as OLS with B0 <= 230 (issue 19): the constrained optimum is the fit with B0 fixed at 230,
        // computed by the unbounded solver (ODRPACK 2.01's, bit-identical to scipy) through ifixb.
        string data = Path.Combine(CliRunner.DataDir, "misra1a.csv");
        var r = CliRunner.Run("fit", data, "--x", "pressure", "--y", "volume", "--model", "B0*(1-exp(-B1*pressure))", "--beta0", "200,1e-4",
            "--fit", "ols", "--upper", "230,inf", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        var root = JsonDocument.Parse(r.Stdout).RootElement;
        var beta = Doubles(root.GetProperty("beta"));

        var rows = File.ReadAllLines(data).Where(l => l.Length > 0 && l[0] != '#').Skip(1)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        var header = File.ReadAllLines(data).First(l => l.Length > 0 && l[0] != '#').Split(',').Select(h => h.Trim('"')).ToArray();
        double[] px = [.. rows.Select(v => v[Array.IndexOf(header, "pressure")])];
        double[] py = [.. rows.Select(v => v[Array.IndexOf(header, "volume")])];
        var model = new Model((b, x) => b[0] * (1 - Math.Exp(-b[1] * x)));
        var odr = new ODR(new Data(px, py), model, [230, 1e-4], ifixb: [0, 1]);
        odr.SetJob(fitType: 2);
        var fixedFit = odr.Run();

        Assert.Equal(230, beta[0]);
        AssertRelative(fixedFit.Beta[1], beta[1], 1e-6, "B1");
        AssertRelative(fixedFit.SumSquare, root.GetProperty("sum_square").GetDouble(), 1e-8, "sum of squares");
        Assert.Equal(0.2476, fixedFit.SumSquare, 1e-4);
        Assert.Equal("upper", root.GetProperty("at_bound")[0].GetString());
    }

    [Fact]
    public void Odrpack95ModeReproducesOdrpack95()
    {
        // ODRPACK95 (TOMS 869, HugoMVale/odrpack95 22d3c78) on Pearson's data with York's weights, B1 <= -0.5,
        // forward differences: case pearson_b1_upper of Odr.Tests/Data/odrpack95-bounds.json.
        var r = CliRunner.Run("fit", Pearson, "--model", "B0 + B1*x", "--beta0=5,-0.6", "--wx", "wx", "--wy", "wy", "--upper", "inf,-0.5",
            "--deriv", "forward", "--bounds-method", "odrpack95", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        var root = JsonDocument.Parse(r.Stdout).RootElement;
        var beta = Doubles(root.GetProperty("beta"));
        AssertRelative(5.481389190679202, beta[0], 1e-13, "B0");
        Assert.Equal(-0.5, beta[1]);
        AssertRelative(27.81402573496878, root.GetProperty("sum_square").GetDouble(), 1e-13, "sum of squares");
        var sd = Doubles(root.GetProperty("sd_beta"));
        AssertRelative(0.5540224904862265, sd[0], 1e-10, "sd B0");
        AssertRelative(0.10939528803198909, sd[1], 1e-10, "sd B1 (as if free, ODRPACK95's rule)");
        Assert.Equal("upper", root.GetProperty("at_bound")[1].GetString());
    }

    [Fact]
    public void UnboundedFitsSayNoParameterIsOnABound()
    {
        var r = CliRunner.Run("fit", Pearson, "--model", "B0 + B1*x", "--beta0=5,-0.5", "--wx", "wx", "--wy", "wy", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        var atBound = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("at_bound").EnumerateArray().ToList();
        Assert.Equal(2, atBound.Count);
        Assert.All(atBound, v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
    }

    [Theory]
    [InlineData("--lower", "-inf,-0.5", "--upper", "inf,-0.5", "--lower equals --upper for B1", "--fix")]
    [InlineData("--lower", "nan,-1", "--upper", "inf,0", "--lower", "not a number")]
    [InlineData("--lower", "-inf,-0.4", "--upper", "inf,-0.45", "--lower is above --upper for B1", "")]
    [InlineData("--lower", "-inf,-0.4", "--upper", "inf,0", "B1", "outside its bounds")]
    [InlineData("--bounds-method", "clip", "--upper", "inf,0", "'clip'", "active-set")]
    public void BadBoxesAreRefusedBeforeAnythingIsWritten(string option1, string value1, string option2, string value2, string fragment1, string fragment2)
    {
        using var dir = new TempDir();
        string json = dir.Combine("out.json");
        var r = CliRunner.Run("fit", Pearson, "--model", "B0 + B1*x", "--beta0=5,-0.5", "--wx", "wx", "--wy", "wy", option1, value1, option2, value2, "--json", json);
        Assert.True(r.Code == 2, r.ToString());
        string err = r.Stderr.TrimEnd('\n');
        Assert.DoesNotContain('\n', err);
        Assert.StartsWith("odr: ", err, StringComparison.Ordinal);
        Assert.Contains(fragment1, err, StringComparison.Ordinal);
        Assert.Contains(fragment2, err, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
