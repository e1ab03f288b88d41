namespace Odr.Cli.Tests;

/// <summary>The tool's own words: arguments are what they look like, messages name what the user wrote.</summary>
public class ToolMessagesTests
{
    /// <summary>System.CommandLine reads an argument starting with @ as a file of arguments; the tool reads it as data.</summary>
    [Fact]
    public void DataFileNamedWithAnAtSign()
    {
        // The argument itself must start with @: a folder in the working directory, named by a relative path.
        string folder = "@odr-test-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "data.csv"), CsvReadingTests.Csv(",", false));
            var got = CsvReadingTests.Beta(CliRunner.Run("fit", folder + "/data.csv", "--fit", "ols", "-m", "B0 + B1*x", "-b", "0,1", "--json", "-"));
            var (a, b) = CsvReadingTests.OlsLine();
            Assert.Equal(a, got[0], 1e-9);
            Assert.Equal(b, got[1], 1e-9);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void LibraryParameterNamesDoNotLeakIntoMessages()
    {
        using var dir = new TempDir();
        // One observation for two parameters: the library refuses, naming its own parameter 'data'.
        var r = CliRunner.Run("fit", dir.File("one.csv", "x,y\n1,2\n"), "-m", "B0 + B1*x", "-b", "0,1");
        CsvReadingTests.AssertOneLineError(r, "1 observations but 2 free parameters");
        Assert.DoesNotContain("(Parameter", r.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// A weight is 1/σ²: --wy 5e-324 is a positive weight, but a subnormal one, with which ODRPACK's weighted
    /// residuals √w·ε underflow (the fit would treat the data as exact). The tool refuses it naming the option
    /// and the value given (not "sy must be positive; got 0", the library's words after a round trip through σ).
    /// </summary>
    [Theory]
    [InlineData("--wy", "5e-324", "weight 5e-324")]
    [InlineData("--wx", "1e-310", "weight 1e-310")]
    [InlineData("--sy", "1e200", "standard deviation 1e200")]
    [InlineData("--sx", "1e-160", "standard deviation 1e-160")]
    public void WeightsOutOfTheNormalRangeAreRefusedWithTheValueGiven(string option, string value, string fragment)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("fit", dir.File("d.csv", CsvReadingTests.Csv(",", false)), "-m", "B0 + B1*x", "-b", "0,1", option, value);
        CsvReadingTests.AssertOneLineError(r, option, fragment, "out of range");
        Assert.DoesNotContain("got 0", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void SubnormalWeightInAColumnNamesTheRowAndTheValue()
    {
        using var dir = new TempDir();
        string data = dir.File("w.csv", "x,y,w\n0,1,1\n1,3,5e-324\n2,5,1\n3,7,1\n");
        CsvReadingTests.AssertOneLineError(CliRunner.Run("fit", data, "-m", "B0 + B1*x", "-b", "0,1", "--wy", "w"), "row 2", "column 'w'", "5E-324", "out of range");
    }

    /// <summary>A tiny but normal constant weight on y alone does not change an OLS fit (the closed form), and a
    /// weight w is the same as a standard deviation 1/√w exactly. (Central differences: with analytic derivatives
    /// the library stops at the starting values once the weights are below about 1e-9, a library problem
    /// reported separately.)</summary>
    [Fact]
    public void SmallNormalWeightsAreUsedAsGiven()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", CsvReadingTests.Csv(",", false));
        var (a, b) = CsvReadingTests.OlsLine();
        var tiny = CsvReadingTests.Beta(CliRunner.Run("fit", data, "--fit", "ols", "--deriv", "central", "-m", "B0 + B1*x", "-b", "0,1", "--wy", "1e-300", "--json", "-"));
        Assert.Equal(a, tiny[0], 1e-9);
        Assert.Equal(b, tiny[1], 1e-9);
        var w4 = CsvReadingTests.Beta(CliRunner.Run("fit", data, "-m", "B0 + B1*x", "-b", "0,1", "--wy", "4", "--json", "-"));
        var s05 = CsvReadingTests.Beta(CliRunner.Run("fit", data, "-m", "B0 + B1*x", "-b", "0,1", "--sy", "0.5", "--json", "-"));
        Assert.Equal(w4, s05);
    }
}
