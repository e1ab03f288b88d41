namespace Odr.Cli.Tests;

/// <summary>Each bad input exits with 2 and one line on stderr that names the problem, with no stack trace.</summary>
public class BadInputTests
{
    private const string Good = "x,y,sx,sy,label\n1,2.1,0.1,0.2,a\n2,3.9,0.1,0.2,b\n3,6.2,0.1,0.2,c\n4,7.8,0.1,0.2,d\n";

    private static void AssertBadInput(CliResult r, params string[] fragments)
    {
        Assert.True(r.Code == 2, r.ToString());
        string err = r.Stderr.TrimEnd('\r', '\n');
        Assert.False(string.IsNullOrWhiteSpace(err), r.ToString());
        Assert.DoesNotContain('\n', err);
        Assert.StartsWith("odr: ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
        foreach (var fragment in fragments) Assert.Contains(fragment, err, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }

    private static CliResult Fit(string data, params string[] more) =>
        CliRunner.Run(["fit", data, .. (more.Length == 0 ? ["--model", "linear", "--beta0", "0,1"] : more)]);

    [Fact]
    public void MissingFile()
    {
        using var dir = new TempDir();
        AssertBadInput(Fit(dir.Combine("nope.csv")), "file not found", "nope.csv");
    }

    [Fact]
    public void EmptyFile()
    {
        using var dir = new TempDir();
        AssertBadInput(Fit(dir.File("empty.csv", "")), "empty");
    }

    [Fact]
    public void OnlyCommentsAndBlankLines()
    {
        using var dir = new TempDir();
        AssertBadInput(Fit(dir.File("empty.csv", "# nothing\n\n  \n")), "empty");
    }

    [Fact]
    public void HeaderWithoutData()
    {
        using var dir = new TempDir();
        AssertBadInput(Fit(dir.File("h.csv", "x,y\n")), "no data rows");
    }

    [Fact]
    public void NoHeader()
    {
        using var dir = new TempDir();
        AssertBadInput(Fit(dir.File("nh.csv", "1,2\n2,4\n3,6\n")), "no header");
    }

    [Theory]
    [InlineData("--x", "time")]
    [InlineData("--y", "height")]
    [InlineData("--sx", "sigma")]
    public void UnknownColumn(string option, string column)
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", option, column), $"unknown column '{column}'", option, "x, y, sx, sy, label");
    }

    [Fact]
    public void RaggedRow()
    {
        using var dir = new TempDir();
        string data = dir.File("r.csv", "x,y\n1,2\n2,4,7\n3,6\n");
        AssertBadInput(Fit(data), "row 2", "3 fields", "header has 2");
    }

    [Fact]
    public void ShortRow()
    {
        using var dir = new TempDir();
        string data = dir.File("r.csv", "x,y\n1,2\n2,4\n3\n");
        AssertBadInput(Fit(data), "row 3", "1 field", "header has 2");
    }

    [Fact]
    public void NonNumericCellNamesRowAndColumn()
    {
        using var dir = new TempDir();
        string data = dir.File("n.csv", "x,y\n1,2\n2,4\n3,six\n");
        AssertBadInput(Fit(data), "row 3", "column 'y'", "'six' is not a number");
    }

    [Fact]
    public void EmptyCell()
    {
        using var dir = new TempDir();
        string data = dir.File("n.csv", "x,y\n1,2\n,4\n3,6\n");
        AssertBadInput(Fit(data), "row 2", "column 'x'", "empty cell");
    }

    [Fact]
    public void CommaDecimalIsNotANumber()
    {
        using var dir = new TempDir();
        string data = dir.File("n.csv", "x,y\n1,2\n2,\"4,5\"\n3,6\n");
        AssertBadInput(Fit(data), "row 2", "column 'y'", "'4,5' is not a number");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("inf")]
    [InlineData("-Infinity")]
    [InlineData("1e400")]
    public void NonFiniteData(string cell)
    {
        using var dir = new TempDir();
        string data = dir.File("nan.csv", $"x,y\n1,2\n2,{cell}\n3,6\n");
        AssertBadInput(Fit(data), "row 2", "column 'y'", "not a finite number");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.1")]
    public void NonPositiveStandardDeviationColumn(string sigma)
    {
        using var dir = new TempDir();
        string data = dir.File("s.csv", $"x,y,sy\n1,2,0.1\n2,4,0.1\n3,6,{sigma}\n");
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", "--sy", "sy"), "row 3", "column 'sy'", "must be positive");
    }

    [Fact]
    public void NonPositiveStandardDeviationNumber()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", "--sx", "0"), "--sx", "positive");
    }

    [Fact]
    public void NonPositiveWeight()
    {
        using var dir = new TempDir();
        string data = dir.File("s.csv", "x,y,wx\n1,2,1\n2,4,0\n3,6,1\n");
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", "--wx", "wx"), "row 2", "column 'wx'", "weight must be positive");
    }

    [Fact]
    public void UnparsableExpressionShowsThePosition()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "B0 + * B1", "--beta0", "0,1"), "--model", "at position 5");
    }

    [Fact]
    public void UnbalancedParenthesis()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "B0*(1 + B1*x", "--beta0", "0,1"), "--model", "position");
    }

    [Fact]
    public void UnknownFunction()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "B0 + B1*foo(x)", "--beta0", "0,1"), "Unknown function 'foo'", "position 8");
    }

    [Fact]
    public void UnknownVariable()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "B0 + B1*time", "--beta0", "0,1"), "Unknown variable 'time'", "position 8");
    }

    [Fact]
    public void ResponseIsNotAnInputVariable()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "B0 + B1*x + B2*y", "--beta0", "0,1,1"), "uses column 'y' as an input", "--y");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1,2,3")]
    public void Beta0CountMismatch(string beta0)
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "B0 + B1*x", "--beta0", beta0), "--beta0", "2 parameters", "B0..B1");
    }

    [Fact]
    public void Beta0NotANumber()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "B0 + B1*x", "--beta0", "1,two"), "--beta0", "'two'", "not a number");
    }

    [Fact]
    public void LowerAboveUpper()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", "--lower", "-1,2", "--upper", "1,1.5"), "--lower is above --upper for B1");
    }

    [Fact]
    public void BoundsCountMismatch()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", "--lower", "0"), "--lower has 1 value", "2 parameters");
    }

    [Fact]
    public void StartOutsideBoundsIsTheLibrarysArgumentError()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "-2,1", "--lower", "0,0", "--upper", "1,3"), "beta0");
    }

    [Fact]
    public void FixUnknownParameter()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", "--fix", "B7"), "--fix", "no parameter B7");
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", "--fix", "slope"), "--fix", "'slope'");
    }

    [Fact]
    public void ModelCountMustMatchResponses()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--model", "B0*x", "--beta0", "0,1"), "2 --model", "1 response column");
    }

    [Fact]
    public void ImplicitWithResponseColumns()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--fit", "implicit", "--model", "x^2 + y^2 - B0^2", "--beta0", "1", "--x", "x,y", "--y", "sy"), "implicit", "--y");
    }

    [Fact]
    public void SigmaCountMismatch()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", "--sx", "sx,sy"), "--sx", "2 items", "1 variable");
    }

    [Fact]
    public void ModelWithoutParameters()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "2*x", "--beta0", "1"), "no parameters");
    }

    [Theory]
    [InlineData("--fit", "lsq", "lsq")]
    [InlineData("--deriv", "symbolic", "symbolic")]
    [InlineData("--report", "verbose", "verbose")]
    [InlineData("--maxit", "many", "many")]
    [InlineData("--maxit", "0", "--maxit")]
    [InlineData("--sstol", "-1", "--sstol")]
    [InlineData("--bogus", "1", "--bogus")]
    public void BadOptionValues(string option, string value, string fragment)
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", option, value), fragment);
    }

    [Fact]
    public void MissingModel()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--beta0", "0,1"), "--model");
    }

    [Fact]
    public void NoCommand()
    {
        var r = CliRunner.Run();
        Assert.Equal(2, r.Code);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void JsonIntoMissingFolderWritesNothing()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", "--json", Path.Combine(dir.Path, "no", "such", "out.json")), "does not exist");
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void OutputMayNotOverwriteTheInput()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", "--json", data), "overwrite the input");
        Assert.Equal(Good, File.ReadAllText(data));
    }

    [Fact]
    public void PlotNeedsPngOrSvg()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", Good);
        AssertBadInput(Fit(data, "--model", "linear", "--beta0", "0,1", "--plot", dir.Combine("fit.jpg")), ".png or .svg");
    }
}
