namespace Odr.Cli.Tests;

/// <summary><c>odr batch</c> reads the options it shares with <c>odr fit</c> the same way: the same box
/// checks, refused before any group is fitted, with the same one line.</summary>
public class BatchSharedOptionsTests
{
    [Theory]
    [InlineData("--lower", "-inf,0.3", "--upper", "inf,0.3", "--lower equals --upper for B1")]
    [InlineData("--lower", "-inf,0.5", "--upper", "inf,1", "the starting value of B1, 0.3, lies outside its bounds")]
    [InlineData("--lower", "-inf,0.5", "--upper", "inf,0.4", "--lower is above --upper for B1")]
    public void BadBoxesAreRefusedAsByOdrFit(string option1, string value1, string option2, string value2, string fragment)
    {
        using var dir = new TempDir();
        string data = dir.File("decay.csv", BatchTests.DecayData(3));
        string output = dir.Combine("out.csv");
        string[] shared = ["--model", "B0*exp(-B1*t)", "--x", "t", "--y", "signal", "--beta0", "2,0.3", option1, value1, option2, value2];
        var batch = CliRunner.Run(["batch", data, "--group", "cell", "--output", output, .. shared]);
        Assert.True(batch.Code == 2, batch.ToString());
        Assert.Contains(fragment, batch.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', batch.Stderr.TrimEnd('\n'));
        Assert.False(File.Exists(output));

        // odr fit on the same options says the same.
        var fit = CliRunner.Run(["fit", data, .. shared]);
        Assert.Equal(2, fit.Code);
        Assert.Equal(fit.Stderr, batch.Stderr);
    }
}
