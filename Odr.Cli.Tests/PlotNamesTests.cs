using System.Text.RegularExpressions;

namespace Odr.Cli.Tests;

/// <summary>The tool's plots name their axes after the data file's columns and can add the residual panel (issue 21.4).</summary>
public partial class PlotNamesTests
{
    private static string Misra => Path.Combine(CliRunner.DataDir, "misra1a.csv");

    private static string[] MisraFit(string plot, params string[] more) =>
        ["fit", Misra, "--x", "pressure", "--y", "volume", "--model", "B0*(1-exp(-B1*pressure))", "--beta0", "500,1e-4", "--fit", "ols", "--plot", plot, "--report", "none", .. more];

    /// <summary>The text elements of an SVG, as drawn.</summary>
    private static List<string> Texts(string svg) => [.. TextElement().Matches(svg).Select(m => m.Groups[1].Value.Trim())];

    [GeneratedRegex("<text[^>]*>([^<]*)</text>")]
    private static partial Regex TextElement();

    [Fact]
    public void TheAxesCarryTheColumnNames()
    {
        using var dir = new TempDir();
        string svg = dir.Combine("fit.svg");
        var r = CliRunner.Run(MisraFit(svg));
        Assert.True(r.Code == 0, r.ToString());
        var texts = Texts(File.ReadAllText(svg));
        Assert.Contains("pressure", texts);
        Assert.Contains("volume", texts);
        Assert.DoesNotContain("residual / σ", texts);
        Assert.Single(texts, t => t == "pressure");
    }

    [Fact]
    public void ResidualsAddTheResidualPanel()
    {
        using var dir = new TempDir();
        string svg = dir.Combine("fit.svg");
        var r = CliRunner.Run(MisraFit(svg, "--residuals"));
        Assert.True(r.Code == 0, r.ToString());
        var texts = Texts(File.ReadAllText(svg));
        Assert.Contains("residual / σ", texts);
        Assert.Contains("volume", texts);
        // The panel's horizontal axis is the same input: its name appears once per panel.
        Assert.Equal(2, texts.Count(t => t == "pressure"));
    }

    [Fact]
    public void TheFigureIsTheLibrarysWithTheNamesAndThePanel()
    {
        var x = new double[] { 1, 2, 3, 4, 5, 6 };
        var y = new double[] { 2.1, 3.9, 6.2, 7.8, 10.1, 12.2 };
        var data = new Data(x, y);
        var output = new ODR(data, Models.Unilinear, [2, 0]).Run();
        var plain = PlotWriter.Build(data, Models.Unilinear, output, "t", ["B0", "B1"], ["dose"], ["response"], residuals: false);
        Assert.Equal("dose", plain.MainPanel().Axes.Bottom.Label.Text);
        Assert.Equal("response", plain.MainPanel().Axes.Left.Label.Text);
        Assert.Null(plain.ResidualPanel());
        var withPanel = PlotWriter.Build(data, Models.Unilinear, output, "t", ["B0", "B1"], ["dose"], ["response"], residuals: true);
        Assert.NotNull(withPanel.ResidualPanel());
        Assert.Equal("dose", withPanel.ResidualPanel()!.Axes.Bottom.Label.Text);
    }

    [Fact]
    public void ResidualsWithoutAPlotAreRefused()
    {
        var r = CliRunner.Run("fit", Misra, "--x", "pressure", "--y", "volume", "--model", "B0*(1-exp(-B1*pressure))", "--beta0", "500,1e-4", "--residuals");
        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("--plot", r.Stderr);
        Assert.Equal("", r.Stdout);
    }
}
