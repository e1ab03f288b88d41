namespace Odr.Cli.Tests;

/// <summary>odr fit --rxy: correlated x and y errors per observation (York et al. 2004), against
/// York's iteration written independently in Odr.Tests/Data/york/make_york_reference.py.</summary>
public class CorrelatedErrorsTests
{
    private const string Pearson = "x,y,wx,wy,r\n0.0,5.9,1000,1,0.0\n0.9,5.4,1000,1.8,0.2\n1.8,4.4,500,4,-0.4\n2.6,4.6,800,8,0.6\n3.3,3.5,200,20,-0.8\n4.4,3.7,80,20,0.1\n5.2,2.8,60,70,0.9\n6.1,2.8,20,70,-0.3\n6.5,2.4,1.8,100,0.5\n7.4,1.5,1,500,-0.95\n";

    private static double[] Fit(TempDir dir, string rxy) => CsvReadingTests.Beta(CliRunner.Run(
        "fit", dir.File("pearson.csv", Pearson), "-m", "B0 + B1*x", "--x", "x", "--y", "y", "-b", "5,-0.5",
        "--wx", "wx", "--wy", "wy", "--rxy", rxy, "--sstol", "1e-15", "--partol", "1e-15", "--json", "-"));

    [Theory]
    [InlineData("0.3", 5.516023915063613, -0.4886850018828794)]
    [InlineData("-0.5", 5.35878812686816, -0.4540064801406044)]
    [InlineData("r", 5.394495115874697, -0.4566123332722538)]
    public void YorksLineIsFitted(string rxy, double a, double b)
    {
        using var dir = new TempDir();
        var beta = Fit(dir, rxy);
        Assert.Equal(a, beta[0], Math.Abs(a) * 1e-7);
        Assert.Equal(b, beta[1], Math.Abs(b) * 1e-7);
    }

    [Theory]
    [InlineData(new[] { "--rxy", "1" }, "strictly between -1 and 1")]
    [InlineData(new[] { "--rxy", "0.2", "--fit", "ols" }, "--rxy needs --fit odr")]
    [InlineData(new[] { "--rxy", "nosuchcolumn" }, "nosuchcolumn")]
    public void BadCorrelationsAreRefusedInOneLine(string[] extra, string fragment)
    {
        using var dir = new TempDir();
        var args = new[] { "fit", dir.File("pearson.csv", Pearson), "-m", "B0 + B1*x", "--x", "x", "--y", "y", "-b", "5,-0.5", "--wx", "wx", "--wy", "wy" }.Concat(extra).ToArray();
        CsvReadingTests.AssertOneLineError(CliRunner.Run(args), fragment);
    }

    [Fact]
    public void CorrelationWithoutXErrorsIsRefused()
    {
        using var dir = new TempDir();
        CsvReadingTests.AssertOneLineError(
            CliRunner.Run("fit", dir.File("pearson.csv", Pearson), "-m", "B0 + B1*x", "--x", "x", "--y", "y", "-b", "5,-0.5", "--wy", "wy", "--rxy", "0.2"),
            "--rxy needs the errors of both x and y");
    }
}
