using System.Globalization;
using System.Text.Json;

namespace Odr.Cli.Tests;

/// <summary>--ci profile|bootstrap with --plot: the intervals the JSON reports are drawn in the plot's
/// parameter box, with their method and level (issue 22).</summary>
public class PlotIntervalTests
{
    [Theory]
    [InlineData("profile")]
    [InlineData("bootstrap")]
    public void ProfileAndBootstrapIntervalsAreDrawn(string method)
    {
        using var dir = new TempDir();
        string svg = dir.Combine("fit.svg");
        string data = Path.Combine(CliRunner.DataDir, "misra1a.csv");
        var extra = method == "bootstrap" ? new[] { "--bootstrap-samples", "50", "--seed", "3" } : Array.Empty<string>();
        var r = CliRunner.Run(new[] { "fit", data, "--x", "pressure", "--y", "volume", "--model", "B0*(1-exp(-B1*pressure))",
            "--beta0", "500,1e-4", "--fit", "ols", "--ci", method, "--level", "0.9", "--plot", svg, "--report", "none", "--json", "-" }.Concat(extra).ToArray());
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var intervals = doc.RootElement.GetProperty("confidence_intervals").EnumerateArray()
            .Select(i => (i[0].GetDouble(), i[1].GetDouble())).ToArray();
        string text = File.ReadAllText(svg);
        Assert.Contains($"90 % {method}", text);
        foreach (var (lo, hi) in intervals)
        {
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"[{lo:G5}, {hi:G5}]"), text);
        }
    }
}
