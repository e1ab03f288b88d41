using System.Globalization;

namespace Odr.Cli.Tests;

/// <summary>odr batch against scipy.odr fitting each group alone (Data/batch/make_scipy_reference.py, scipy 1.10.1).</summary>
public class BatchScipyTests
{
    [Theory]
    [InlineData("forward", 1e-7, 1e-5)] // scipy's default: ODRPACK's forward differences, as here
    [InlineData("analytic", 1e-6, 1e-4)] // the same optimum, reached with exact derivatives
    public void EveryGroupMatchesScipyOdrFittingItAlone(string deriv, double betaTolerance, double sdTolerance)
    {
        using var dir = new TempDir();
        string data = Path.Combine(CliRunner.DataDir, "batch", "peaks.csv");
        string output = dir.Combine("out.csv");
        var r = CliRunner.Run("batch", data, "--group", "pixel", "--x", "x", "--y", "y", "--model", "B0 + B1*exp(-((x-B2)/B3)^2)", "--beta0=0.5,4,10,1.5", "--deriv", deriv, "--output", output);
        Assert.True(r.Code == 0, r.ToString());
        var ours = File.ReadAllLines(output).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0]);
        var reference = File.ReadAllLines(Path.Combine(CliRunner.DataDir, "batch", "scipy_reference.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(24, reference.Count);
        Assert.Equal(24, ours.Count);
        foreach (var expected in reference)
        {
            var got = ours[expected[0]];
            Assert.Equal("true", got[2]);
            Assert.Equal("", got[13]);
            for (int k = 0; k < 4; k++)
            {
                Close(expected[1 + k], got[3 + k], betaTolerance, $"{expected[0]} B{k}");
                Close(expected[5 + k], got[7 + k], sdTolerance, $"{expected[0]} sd_B{k}");
            }
            Close(expected[9], got[11], sdTolerance, $"{expected[0]} res_var");
        }
    }

    private static void Close(string expected, string actual, double relative, string what)
    {
        double e = double.Parse(expected, CultureInfo.InvariantCulture), a = double.Parse(actual, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(a - e) <= relative * Math.Abs(e), $"{what}: {a:R} vs scipy {e:R} (relative {Math.Abs(a - e) / Math.Abs(e):E2})");
    }
}
