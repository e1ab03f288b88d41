using System.Globalization;

namespace Examples.Tests;

/// <summary>Runs every example of examples/Odr.Examples in-process and checks what it prints and draws.</summary>
public class OdrExamplesTests
{
    private static (int Code, string Text) Run(params string[] args)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        int code = Odr.Examples.Program.Run(args, output);
        return (code, output.ToString());
    }

    [Fact]
    public void StraightLineExplainsZeroStandardErrorsAndFitsTheNoisyLine()
    {
        using var dir = new TempDir();
        var (code, text) = Run("line", "--out", dir.Path);
        Assert.True(code == 0, text);

        // The exact data: Pprint's block, a residual variance of (essentially) zero, and the explanation.
        Assert.Contains("Points exactly on y = x", text);
        Assert.Contains("Beta Std Error:", text);
        Assert.Contains("Reason(s) for Halting:", text);
        Assert.Contains("Why is Beta Std Error zero?", text);
        Assert.Contains("sd_beta = sqrt(res_var * diag(cov_beta))", text);
        Assert.Contains("cov_beta is NOT scaled by res_var", text);
        double resVar = Check.Number(text, @"res_var = sum_square / \(n - p\) = (\S+),");
        Assert.InRange(resVar, 0, 1e-20);
        string firstStdError = text[text.IndexOf("Beta Std Error: [", StringComparison.Ordinal)..].Split('\n')[0];
        double[] sd = Check.Numbers(firstStdError, @"([-+0-9.]+e[-+][0-9]+)");
        Assert.Equal(2, sd.Length);
        Assert.All(sd, s => Assert.InRange(Math.Abs(s), 0, 1e-10));

        // sqrt(diag(cov_beta)) for x = y = [0, 1, 2, 3], sx = 1, sy = 5 at slope 1: cov_beta is 26·(XᵀX)⁻¹
        // with the effective variance sy² + slope²·sx² = 26 per point and XᵀX = [[14, 6], [6, 4]]:
        // var(slope) = 26·4/20, var(intercept) = 26·14/20.
        double slopeAbsolute = Check.Number(text, @"standard errors instead: \[([0-9.]+), ");
        double interceptAbsolute = Check.Number(text, @"standard errors instead: \[[0-9.]+, ([0-9.]+)\]");
        Check.Near(Math.Sqrt(26.0 * 4 / 20), slopeAbsolute, 2e-4, "sqrt(cov_beta[0,0])");
        Check.Near(Math.Sqrt(26.0 * 14 / 20), interceptAbsolute, 2e-4, "sqrt(cov_beta[1,1])");

        // The noisy line: close to y = 2x + 1, with nonzero standard errors consistent with the interval.
        double slope = Check.Number(text, @"Slope     = ([0-9.]+) ±");
        double slopeSd = Check.Number(text, @"Slope     = [0-9.]+ ± ([0-9.]+)");
        double intercept = Check.Number(text, @"Intercept = ([-0-9.]+) ±");
        Assert.InRange(slope, 1.7, 2.1);
        Assert.InRange(slopeSd, 0.01, 0.5);
        Assert.InRange(intercept, 0.2, 2.0);
        Assert.True(Math.Abs(slope - 2) < 3 * slopeSd, "the true slope lies within 3 standard errors");

        Check.Png(dir.Combine("straight_line.png"));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ExponentialDecayComparesOdrAndOlsInOnePlot()
    {
        using var dir = new TempDir();
        var (code, text) = Run("2", "--out", dir.Path);
        Assert.True(code == 0, text);
        Assert.Contains("ODR (errors in x and y):", text);
        Assert.Contains("OLS (errors in y only", text);
        Assert.Equal(2, text.Split("Reason(s) for Halting:").Length - 1);

        // Table rows: name, true, ODR ± sd, OLS ± sd.
        foreach (var (name, truth, tolerance) in new[] { ("A", 10.0, 1.0), ("k", 0.45, 0.1), ("C", 1.0, 0.6) })
        {
            double odr = Check.Number(text, $@"\n{name}\s+[0-9.]+\s+([0-9.]+) ±");
            double ols = Check.Number(text, $@"\n{name}\s+[0-9.]+\s+[0-9.]+ ± [0-9.]+\s+([0-9.]+) ±");
            Check.Near(truth, odr, tolerance, $"ODR {name}");
            Check.Near(truth, ols, tolerance, $"OLS {name}");
            Assert.NotEqual(odr, ols);
        }
        double odrResVar = Check.Number(text, @"res_var\s+([0-9.]+)");
        double olsResVar = Check.Number(text, @"res_var\s+[0-9.]+\s+([0-9.]+)");
        Assert.True(olsResVar > odrResVar, "ignoring the errors in x leaves more unexplained scatter");

        Check.Png(dir.Combine("exponential_decay.png"));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ImplicitEllipseMatchesOdrpackAndMultiResponseRecoversSharedParameters()
    {
        using var dir = new TempDir();
        var (code, text) = Run("implicit", "--out", dir.Path);
        Assert.True(code == 0, text);

        Assert.Contains("Implicit fit of an ellipse", text);
        double difference = Check.Number(text, @"Largest relative difference from ODRPACK: (\S+)");
        Assert.InRange(difference, 0, 1e-5);
        Assert.Contains("Centre (-0.9994, -2.9310)", text);

        Assert.Contains("(q = 2)", text);
        double a0 = Check.Number(text, @"A0 = ([0-9.]+) ±");
        double k = Check.Number(text, @"k = ([0-9.]+) ±");
        Check.Near(5.0, a0, 0.2, "A0");
        Check.Near(0.6, k, 0.05, "k");

        Check.Png(dir.Combine("implicit_ellipse.png"));
        var (_, height) = Check.Png(dir.Combine("multi_response.png"));
        Assert.True(height > 600, "two responses draw two panels");
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length);
    }

    [Fact]
    public void WithoutArgumentsEveryExampleRunsAndEveryPlotIsWritten()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("plots", "nested");
        var (code, text) = Run("--out", outDir);
        Assert.True(code == 0, text);
        foreach (string number in new[] { "1", "2", "3" }) Assert.Contains($"=== Example {number} (", text);
        Assert.Equal(6, text.Split("Reason(s) for Halting:").Length - 1); // 2 lines, ODR and OLS, the ellipse, the reaction
        foreach (string png in new[] { "straight_line.png", "exponential_decay.png", "implicit_ellipse.png", "multi_response.png" })
        {
            Check.Png(Path.Combine(outDir, png));
        }
    }

    [Fact]
    public void UnknownExampleOrMissingFolderIsAnError()
    {
        var (code, text) = Run("nonsense");
        Assert.Equal(2, code);
        Assert.Contains("Unknown example 'nonsense'", text);
        (code, text) = Run("line", "--out");
        Assert.Equal(2, code);
        Assert.Contains("--out needs a folder", text);
    }
}
