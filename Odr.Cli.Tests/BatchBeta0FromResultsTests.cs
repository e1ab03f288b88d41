using System.Globalization;
using System.Text.Json;

namespace Odr.Cli.Tests;

/// <summary>odr batch --beta0-from-results: each group starts from an earlier batch's estimates,
/// exactly as odr fit of that group alone started from them.</summary>
public class BatchBeta0FromResultsTests
{
    private const string Model = "B0*exp(-B1*t)";

    private static CliResult Batch(string data, string output, params string[] more) =>
        CliRunner.Run(["batch", data, "--group", "cell", "--x", "t", "--y", "signal", "--model", Model, "--output", output, .. more]);

    private static Dictionary<string, string[]> Rows(string path) =>
        File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0]);

    /// <summary>The data of one group as its own CSV file, for odr fit.</summary>
    private static string GroupFile(TempDir dir, string data, string key)
    {
        var lines = File.ReadAllLines(data);
        return dir.File($"g{key}.csv", lines[0] + "\n" + string.Join("\n", lines.Skip(1).Where(l => l.StartsWith(key + ",", StringComparison.Ordinal))) + "\n");
    }

    [Fact]
    public void EachGroupStartsFromItsEarlierEstimatesAsOdrFitWouldFromThem()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", BatchTests.DecayData(6));

        // An earlier, deliberately short batch: two iterations from a poor start.
        var first = Batch(data, dir.Combine("first.csv"), "--beta0", "1,0.1", "--maxit", "2");
        Assert.True(first.Code is 0 or 3, first.ToString());
        var earlier = Rows(dir.Combine("first.csv"));

        var second = Batch(data, dir.Combine("second.csv"), "--beta0-from-results", dir.Combine("first.csv"));
        Assert.True(second.Code == 0, second.ToString());
        var rows = Rows(dir.Combine("second.csv"));
        foreach (var key in new[] { "0", "3", "5" })
        {
            string start = earlier[key][3] + "," + earlier[key][4];
            var fit = CliRunner.Run("fit", GroupFile(dir, data, key), "--x", "t", "--y", "signal", "--model", Model, "--beta0=" + start, "--json", "-");
            Assert.True(fit.Code == 0, fit.ToString());
            using var json = JsonDocument.Parse(fit.Stdout);
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal(json.RootElement.GetProperty("beta")[k].GetDouble(), double.Parse(rows[key][3 + k], CultureInfo.InvariantCulture));
                Assert.Equal(json.RootElement.GetProperty("sd_beta")[k].GetDouble(), double.Parse(rows[key][5 + k], CultureInfo.InvariantCulture));
            }
            Assert.Equal(json.RootElement.GetProperty("iterations").GetInt32().ToString(CultureInfo.InvariantCulture), rows[key][8]);
        }
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    [InlineData("parquet")]
    public void GroupsMissingFromTheResultsStartFromBeta0(string format)
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", BatchTests.DecayData(10));
        string shard = dir.Combine("half." + format);
        Assert.Equal(0, Batch(data, shard, "--beta0", "2,0.3", "--shard", "0/2").Code);
        Assert.True(CliRunner.Run("merge", dir.Combine("half-as.csv"), shard).Code is 0 or 3);
        var shardKeys = Rows(dir.Combine("half-as.csv")).Keys.ToHashSet();
        Assert.InRange(shardKeys.Count, 1, 9);

        Assert.Equal(0, Batch(data, dir.Combine("plain.csv"), "--beta0", "1.5,0.2").Code);
        var r = Batch(data, dir.Combine("mixed.csv"), "--beta0-from-results", shard, "--beta0", "1.5,0.2");
        Assert.True(r.Code == 0, r.ToString());
        var plain = Rows(dir.Combine("plain.csv"));
        var mixed = Rows(dir.Combine("mixed.csv"));
        Assert.Equal(10, mixed.Count);

        // Groups of the other shard: fitted from --beta0, as by a batch that had no results file.
        foreach (var key in plain.Keys.Where(k => !shardKeys.Contains(k))) Assert.Equal(plain[key], mixed[key]);

        // Groups of the shard: started from their estimates there, so not the run from --beta0.
        foreach (var key in shardKeys)
        {
            Assert.Equal("true", mixed[key][2]);
            Assert.NotEqual(plain[key][8], mixed[key][8]);
        }
    }

    [Fact]
    public void AGroupWithNoEarlierEstimatesAndNoBeta0GetsAnErrorRow()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", BatchTests.DecayData(6));
        Assert.Equal(0, Batch(data, dir.Combine("half.csv"), "--beta0", "2,0.3", "--shard", "1/2").Code);
        var half = Rows(dir.Combine("half.csv"));
        var r = Batch(data, dir.Combine("out.csv"), "--beta0-from-results", dir.Combine("half.csv"));
        Assert.True(r.Code == 3, r.ToString());
        foreach (var (key, row) in Rows(dir.Combine("out.csv")))
        {
            if (half.ContainsKey(key)) Assert.Equal("", row[9]);
            else Assert.Contains($"group '{key}' has no estimates in --beta0-from-results", row[9], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResultsOfAnotherModelAreRefused(bool withBeta0)
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", BatchTests.DecayData(4));
        Assert.Equal(0, CliRunner.Run("batch", data, "--group", "cell", "--x", "t", "--y", "signal", "--model", "B0*exp(-B1*t) + B2", "--beta0", "2,0.3,0", "--output", dir.Combine("three.csv")).Code);
        string output = dir.Combine("out.csv");
        var r = withBeta0
            ? Batch(data, output, "--beta0-from-results", dir.Combine("three.csv"), "--beta0", "2,0.3")
            : Batch(data, output, "--beta0-from-results", dir.Combine("three.csv"));
        Assert.True(r.Code == 2, r.ToString());
        Assert.Equal($"odr: --beta0-from-results {dir.Combine("three.csv")} has the parameters B0..B2 but the model uses 2 (B0..B1): it holds the results of another model", r.Stderr.TrimEnd('\n'));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ResultsOfAnotherGroupColumnAreRefused()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", BatchTests.DecayData(4));
        string other = dir.File("other.csv", BatchTests.DecayData(4).Replace("cell,", "pixel,", StringComparison.Ordinal));
        Assert.Equal(0, CliRunner.Run("batch", other, "--group", "pixel", "--x", "t", "--y", "signal", "--model", Model, "--beta0", "2,0.3", "--output", dir.Combine("p.csv")).Code);
        var r = Batch(data, dir.Combine("out.csv"), "--beta0-from-results", dir.Combine("p.csv"));
        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("has the group column 'pixel', not 'cell'", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("out.csv")));
    }
}
