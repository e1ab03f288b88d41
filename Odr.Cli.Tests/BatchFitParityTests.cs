using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Odr.Cli.Tests;

/// <summary>
/// odr batch takes odr fit's options with odr fit's meaning: each group's row is, to the bit, what
/// odr fit reports for that group's rows alone with the same options (weights, bounds and their method,
/// interval method and level, column resolution).
/// </summary>
public class BatchFitParityTests
{
    /// <summary>Three groups of a decay with per-row weights of x and y, columns in the order given.</summary>
    private static string WeightedData(string header = "cell,t,signal,wx,wy")
    {
        var names = header.Split(',');
        var sb = new StringBuilder(header).Append('\n');
        for (int g = 0; g < 3; g++)
        {
            for (int i = 0; i < 14; i++)
            {
                double t = (0.5 * i) + (0.01 * Math.Cos(i + g));
                var cells = new Dictionary<string, double>
                {
                    ["t"] = t,
                    ["signal"] = ((2 + (0.1 * g)) * Math.Exp(-(0.3 + (0.02 * g)) * t)) + (0.02 * Math.Sin((g * 31) + (i * 7.3))),
                    ["wx"] = 1 / Math.Pow(0.01 + (0.003 * ((i + g) % 4)), 2),
                    ["wy"] = 3.7 + (0.9 * ((i * 3) % 5)),
                    ["rxy"] = 0.6 * Math.Sin((i * 1.7) + g),
                };
                sb.Append(string.Join(",", names.Select(n => n == "cell" ? g.ToString(CultureInfo.InvariantCulture) : cells[n].ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>Runs odr batch and odr fit of each group alone with the same options; compares every field.</summary>
    private static void AssertSameAsFit(string csv, string[] options, string[] names)
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", csv);
        string output = dir.Combine("out.csv");
        var batch = CliRunner.Run(["batch", data, "--group", "cell", "--output", output, .. options]);
        Assert.True(batch.Code is 0 or 3, batch.ToString()); // 3: a group did not converge (its row says so, as fit's exit code)
        var lines = File.ReadAllLines(output);
        var columns = lines[0].Split(',');
        var header = csv.Split('\n')[0];
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            string key = cells[0];
            // The group's rows without the group column, as a user would fit them alone.
            string group = dir.File($"g{key}.csv", header.Split(',', 2)[1] + "\n"
                + string.Join("\n", csv.Split('\n').Skip(1).Where(l => l.StartsWith(key + ",", StringComparison.Ordinal)).Select(l => l.Split(',', 2)[1])) + "\n");
            var fit = CliRunner.Run(["fit", group, .. options, "--json", "-"]);
            Assert.True(fit.Code is 0 or 3, fit.ToString());
            Assert.Equal(fit.Code == 0 ? "true" : "false", cells[2]);
            using var json = JsonDocument.Parse(fit.Stdout);
            var r = json.RootElement;
            double Cell(string name) => cells[Array.IndexOf(columns, name)] is { Length: > 0 } text ? double.Parse(text, CultureInfo.InvariantCulture) : double.NaN;
            static double Json(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();
            for (int k = 0; k < names.Length; k++)
            {
                Assert.Equal(r.GetProperty("beta")[k].GetDouble(), Cell(names[k]));
                Assert.Equal(r.GetProperty("sd_beta")[k].GetDouble(), Cell("sd_" + names[k]));
                Assert.Equal(Json(r.GetProperty("confidence_intervals")[k][0]), Cell($"ci_{names[k]}_lower"));
                Assert.Equal(Json(r.GetProperty("confidence_intervals")[k][1]), Cell($"ci_{names[k]}_upper"));
            }
            Assert.Equal(r.GetProperty("res_var").GetDouble(), Cell("res_var"));
            var gof = r.GetProperty("goodness_of_fit");
            bool hasGof = gof.ValueKind != JsonValueKind.Null;
            Assert.Equal(hasGof ? gof.GetProperty("chi2").GetDouble() : double.NaN, Cell("chi2"));
            Assert.Equal(hasGof ? Json(gof.GetProperty("p_value")) : double.NaN, Cell("p_value"));
            Assert.Equal(Json(r.GetProperty("aic")), Cell("aic"));
            Assert.Equal(r.GetProperty("iterations").GetInt32(), (int)Cell("iterations"));
        }
    }

    [Theory]
    [InlineData("--wx", "wx", "--wy", "wy")]
    [InlineData("--wx", "wx", "--wy", "2.5")]
    [InlineData("--sx", "0.01", "--wy", "wy")]
    public void WeightsAreTakenAsOdrFitTakesThem(string xOption, string xValue, string yOption, string yValue) =>
        AssertSameAsFit(WeightedData(), ["--x", "t", "--y", "signal", "--model", "B0*exp(-B1*t)", "--beta0", "2,0.3", xOption, xValue, yOption, yValue], ["B0", "B1"]);

    [Theory]
    [InlineData("rxy")]
    [InlineData("-0.4")]
    public void CorrelatedErrorsAreOdrFits(string rxy) =>
        AssertSameAsFit(WeightedData("cell,t,signal,wx,wy,rxy"), ["--x", "t", "--y", "signal", "--model", "B0*exp(-B1*t)", "--beta0", "2,0.3", "--wx", "wx", "--wy", "wy", "--rxy", rxy], ["B0", "B1"]);

    [Theory]
    [InlineData("--fit", "ols", "--wy", "wy", "--rxy needs --fit odr")]
    [InlineData("--wy", "wy", "--fit", "odr", "--rxy needs the errors of both x and y")]
    [InlineData("--wx", "wx", "--wy", "wy", "--rxy: the correlation 1 must lie strictly between -1 and 1")]
    public void CorrelatedErrorsAreRefusedAsByOdrFit(string option1, string value1, string option2, string value2, string fragment)
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", WeightedData("cell,t,signal,wx,wy,rxy"));
        string rxy = fragment.Contains("correlation 1", StringComparison.Ordinal) ? "1" : "0.5";
        string[] shared = ["--x", "t", "--y", "signal", "--model", "B0*exp(-B1*t)", "--beta0", "2,0.3", option1, value1, option2, value2, "--rxy", rxy];
        var batch = CliRunner.Run(["batch", data, "--group", "cell", "--output", dir.Combine("out.csv"), .. shared]);
        var fit = CliRunner.Run(["fit", dir.File("g.csv", "t,signal,wx,wy,rxy\n1,2,3,4,0.1\n2,3,4,5,0.1\n3,4,5,6,0.1\n"), .. shared]);
        Assert.True(batch.Code == 2, batch.ToString());
        Assert.Equal(2, fit.Code);
        Assert.Contains(fragment, batch.Stderr, StringComparison.Ordinal);
        Assert.Equal(fit.Stderr, batch.Stderr);
        Assert.False(File.Exists(dir.Combine("out.csv")));
    }

    [Fact]
    public void BoundsAndTheirMethodAreOdrFits()
    {
        // B1 is pushed against its upper bound: active-set and ODRPACK95's clipping end differently.
        string[] common = ["--x", "t", "--y", "signal", "--model", "B0*exp(-B1*t)", "--beta0", "2,0.25", "--wx", "wx", "--wy", "wy", "--lower", "0,0", "--upper", "10,0.28"];
        AssertSameAsFit(WeightedData(), common, ["B0", "B1"]);
        AssertSameAsFit(WeightedData(), [.. common, "--bounds-method", "odrpack95"], ["B0", "B1"]);
    }

    [Theory]
    [InlineData("profile", "0.9")]
    [InlineData("wald", "0.683")]
    public void IntervalsAreOdrFitsForTheMethodAndLevel(string method, string level) =>
        AssertSameAsFit(WeightedData(), ["--x", "t", "--y", "signal", "--model", "B0*exp(-B1*t)", "--beta0", "2,0.3", "--wy", "wy", "--fit", "ols", "--ci", method, "--level", level], ["B0", "B1"]);

    [Fact]
    public void BootstrapIntervalsAreOdrFitsForTheSameSeed() =>
        AssertSameAsFit(WeightedData(), ["--x", "t", "--y", "signal", "--model", "B0*exp(-B1*t)", "--beta0", "2,0.3", "--ci", "bootstrap", "--bootstrap-samples", "40", "--seed", "7"], ["B0", "B1"]);

    [Fact]
    public void ColumnsAreFoundFromTheFormulaAsOdrFitFindsThem()
    {
        // No --x or --y: the input is the column the formula names (t, after signal in the file), the
        // response the first column left that is not a weight column (signal).
        AssertSameAsFit(WeightedData("cell,signal,wy,t"), ["--model", "B0*exp(-B1*t)", "--beta0", "2,0.3", "--wy", "wy"], ["B0", "B1"]);
    }

    [Fact]
    public void AColumnNamedLikeAConstantIsRefusedAsByOdrFit()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", WeightedData().Replace("cell,t,signal,wx,wy", "cell,e,signal,wx,wy", StringComparison.Ordinal));
        string[] shared = ["--model", "B0*exp(-B1*e)", "--beta0", "2,0.3", "--y", "signal"];
        var batch = CliRunner.Run(["batch", data, "--group", "cell", "--output", dir.Combine("out.csv"), .. shared]);
        Assert.True(batch.Code == 2, batch.ToString());
        var fit = CliRunner.Run(["fit", data, .. shared]);
        Assert.Equal(2, fit.Code);
        Assert.Equal(fit.Stderr, batch.Stderr);
        Assert.Contains("has the name of the constant e", batch.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("out.csv")));
    }

    [Fact]
    public void TheGroupColumnInTheFormulaIsRefused()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", WeightedData());
        var r = CliRunner.Run("batch", data, "--group", "cell", "--output", dir.Combine("out.csv"), "--model", "B0*exp(-B1*t) + cell", "--beta0", "2,0.3", "--y", "signal");
        Assert.True(r.Code == 2, r.ToString());
        Assert.Equal("odr: the model uses column 'cell', which is the group column (the same in every row of a group); it cannot be an input", r.Stderr.TrimEnd('\n'));
    }

    [Theory]
    [InlineData(";", true, null)]
    [InlineData("\t", false, "tab")]
    [InlineData("|", false, "|")]
    public void DelimitersAndDecimalCommasAreReadAsOdrFitReadsThem(string delimiter, bool decimalComma, string? option)
    {
        using var dir = new TempDir();
        string comma = BatchTests.DecayData(4);
        string other = comma.Replace(",", delimiter, StringComparison.Ordinal);
        if (decimalComma) other = other.Replace(".", ",", StringComparison.Ordinal);
        string[] shared = ["--x", "t", "--y", "signal", "--model", "B0*exp(-B1*t)", "--beta0", "2,0.3"];
        var reference = CliRunner.Run(["batch", dir.File("comma.csv", comma), "--group", "cell", "--output", dir.Combine("comma-out.csv"), .. shared]);
        Assert.True(reference.Code == 0, reference.ToString());
        string[] delimiterOption = option is null ? [] : ["--delimiter", option];
        var r = CliRunner.Run(["batch", dir.File("other.csv", other), "--group", "cell", "--output", dir.Combine("other-out.csv"), .. shared, .. delimiterOption]);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal(File.ReadAllText(dir.Combine("comma-out.csv")), File.ReadAllText(dir.Combine("other-out.csv")));

        // odr fit reads the first group of that file to the same numbers.
        var fit = CliRunner.Run(["fit", dir.File("g0.csv", string.Join("\n", other.Split('\n').Where((l, i) => i == 0 || l.StartsWith("0" + delimiter, StringComparison.Ordinal))) + "\n"), .. shared, .. delimiterOption, "--json", "-"]);
        Assert.True(fit.Code == 0, fit.ToString());
        using var json = JsonDocument.Parse(fit.Stdout);
        var row = File.ReadAllLines(dir.Combine("other-out.csv"))[1].Split(',');
        Assert.Equal(json.RootElement.GetProperty("beta")[0].GetDouble(), double.Parse(row[3], CultureInfo.InvariantCulture));
        Assert.Equal(json.RootElement.GetProperty("beta")[1].GetDouble(), double.Parse(row[4], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void EveryFitOptionOfOdrFitIsAnOptionOfOdrBatch()
    {
        // Options that are about one fit's report (plot, JSON, report, predictions) are not per-group
        // options; every other option of odr fit is an option of odr batch.
        string[] reportOnly = ["--report", "--plot", "--residuals", "--json", "--predict-at"];
        var fitHelp = CliRunner.Run("fit", "--help").Stdout;
        var batchHelp = CliRunner.Run("batch", "--help").Stdout;
        var fitOptions = Options(fitHelp).Except(reportOnly).ToList();
        Assert.Contains("--bounds-method", fitOptions);
        Assert.Contains("--ci", fitOptions);
        Assert.Empty(fitOptions.Except(Options(batchHelp)));
    }

    private static IEnumerable<string> Options(string help) =>
        help.Split('\n').Select(l => l.TrimStart()).Where(l => l.StartsWith("--", StringComparison.Ordinal) || l.StartsWith("-", StringComparison.Ordinal))
            .SelectMany(l => l.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Where(w => w.StartsWith("--", StringComparison.Ordinal)).Take(1))
            .Where(o => o is not "--help" and not "--version");
}
