using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Odr.Cli.Tests;

/// <summary>What the names in a formula mean, the model keywords, and formulas too deep or too wide.</summary>
public partial class FormulaTests
{
    private static double[] Beta(CliResult r)
    {
        Assert.True(r.Code is 0 or 3, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        return [.. doc.RootElement.GetProperty("beta").EnumerateArray().Select(e => e.GetDouble())];
    }

    internal static void AssertRefused(CliResult r, params string[] fragments)
    {
        Assert.True(r.Code == 2, r.ToString());
        string err = r.Stderr.TrimEnd('\r', '\n');
        Assert.DoesNotContain('\n', err);
        Assert.StartsWith("odr: ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        foreach (var f in fragments) Assert.Contains(f, err, StringComparison.Ordinal);
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>y = 2 + 3x exactly, with the columns in the order and under the names given.</summary>
    private static string Line(TempDir dir, string xName, string yName, bool yFirst, string? extra = null)
    {
        var sb = new StringBuilder(yFirst ? $"{yName},{xName}" : $"{xName},{yName}");
        sb.Append(extra is null ? "\n" : $",{extra}\n");
        for (int i = 0; i < 8; i++)
        {
            double x = 0.5 * i - 1, y = 2 + (3 * x);
            sb.Append(yFirst ? $"{R(y)},{R(x)}" : $"{R(x)},{R(y)}");
            sb.Append(extra is null ? "\n" : $",{R(10 - i)}\n");
        }
        return dir.File("line.csv", sb.ToString());
    }

    [Fact]
    public void ColumnNamedXIsThatColumnWhateverItsPosition()
    {
        // NIST's files put y first: x = f(y) was fitted, with exit 0 and the formula printed as B0 + B1*y.
        using var dir = new TempDir();
        string data = Line(dir, "x", "y", yFirst: true);
        var text = CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "1,1", "--report", "none");
        Assert.True(text.Code == 0, text.ToString());
        Assert.Contains("Model: y = B0 + B1*x", text.Stdout);
        Assert.Contains("Inputs: x", text.Stdout);
        var beta = Beta(CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "1,1", "--json", "-"));
        Assert.Equal(2, beta[0], 1e-9);
        Assert.Equal(3, beta[1], 1e-9);
    }

    [Theory]
    [InlineData("e", "B0 + B1*e", "constant e")]
    [InlineData("pi", "B0 + B1*pi", "constant pi")]
    [InlineData("B0", "B0 + B1*B0", "parameter B0")]
    [InlineData("B1", "B0 + B1*x", "parameter B1")]
    [InlineData("B", "B[0] + B[1]*B", "parameter B")]
    [InlineData("sin", "B0 + B1*sin", "function sin")]
    public void ColumnNamedLikeAConstantOrParameterIsRefused(string column, string model, string meaning)
    {
        using var dir = new TempDir();
        string data = Line(dir, column, "y", yFirst: false, extra: "x");
        AssertRefused(CliRunner.Run("fit", data, "--model", model, "--beta0", "1,1"), $"column '{column}'", meaning, "rename the column");
    }

    [Fact]
    public void ColumnNamedLikeAFunctionIsFineWhereTheFunctionIsCalled()
    {
        using var dir = new TempDir();
        string data = Line(dir, "t", "y", yFirst: false, extra: "exp");
        var beta = Beta(CliRunner.Run("fit", data, "--model", "B0 + B1*t + 0*exp(t)", "--beta0", "1,1", "--json", "-"));
        Assert.Equal(3, beta[1], 1e-9);
    }

    [Fact]
    public void ColumnNamedEIsUsableWhereTheModelDoesNotSayE()
    {
        // The column e is a standard deviation; the model's own e is the constant.
        using var dir = new TempDir();
        string data = Line(dir, "x", "y", yFirst: false, extra: "e");
        var withE = Beta(CliRunner.Run("fit", data, "--model", "B0 + B1*x", "--beta0", "1,1", "--sy", "e", "--json", "-"));
        Assert.Equal(2, withE[0], 1e-9);
        Assert.Equal(3, withE[1], 1e-9);
    }

    [Fact]
    public void InputsAreTheColumnsTheFormulaUses()
    {
        // --y given, --x not: the input is the column the formula names, not the first column.
        using var dir = new TempDir();
        string data = Line(dir, "t", "logy", yFirst: true);
        var beta = Beta(CliRunner.Run("fit", data, "--y", "logy", "--model", "B0 + B1*t", "--beta0", "1,1", "--json", "-"));
        Assert.Equal(2, beta[0], 1e-9);
        Assert.Equal(3, beta[1], 1e-9);
        var positional = CliRunner.Run("fit", data, "--y", "logy", "--model", "B0 + B1*x", "--beta0", "1,1", "--report", "none");
        Assert.True(positional.Code == 0, positional.ToString());
        Assert.Contains("Model: logy = B0 + B1*t", positional.Stdout);
    }

    [Fact]
    public void ImplicitInputsAreTheColumnsTheFormulaUses()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("label,x,y\n");
        for (int i = 0; i < 16; i++)
        {
            double t = 2 * Math.PI * i / 16;
            sb.Append(CultureInfo.InvariantCulture, $"{i},{R(1 + (2 * Math.Cos(t)))},{R(2 * Math.Sin(t))}\n");
        }
        string data = dir.File("circle.csv", sb.ToString());
        var r = CliRunner.Run("fit", data, "--fit", "implicit", "--model", "(x-B0)^2 + (y-B1)^2 - B2^2", "--beta0=0.5,-0.2,1.5", "--json", "-");
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(2, doc.RootElement.GetProperty("delta").GetArrayLength());
    }

    [Fact]
    public void FormulaColumnOutsideTheInputsIsRefused()
    {
        using var dir = new TempDir();
        string data = Line(dir, "x", "y", yFirst: true, extra: "t");
        AssertRefused(CliRunner.Run("fit", data, "--x", "t", "--model", "B0 + B1*x", "--beta0", "1,1"), "column 'x'", "not an input", "--x");
        AssertRefused(CliRunner.Run("fit", data, "--y", "t", "--model", "B0 + B1*t", "--beta0", "1,1"), "column 't'", "response");
        AssertRefused(CliRunner.Run("fit", data, "--model", "B0 + B1*x + B2*x[1]", "--beta0", "1,1,1"), "x[");
    }

    [Fact]
    public void AColumnNamedTwiceInXOrYIsRefused()
    {
        // Was "Variable name 't' occurs more than once. (Parameter 'names')", the library's wording.
        using var dir = new TempDir();
        string data = Line(dir, "t", "y", yFirst: false, extra: "u");
        AssertRefused(CliRunner.Run("fit", data, "--x", "t,T", "--model", "B0*x0 + B1*x1", "--beta0", "1,1"), "--x", "'t' twice");
        AssertRefused(CliRunner.Run("fit", data, "--y", "y,y", "--model", "B0*t", "--model", "B1*t", "--beta0", "1,1"), "--y", "'y' twice");
    }

    [Fact]
    public void NamesAndPositionsAreNotMixedWithoutX()
    {
        using var dir = new TempDir();
        string data = Line(dir, "t", "y", yFirst: false, extra: "u");
        AssertRefused(CliRunner.Run("fit", data, "--model", "B0*t + B1*x", "--beta0", "1,1"), "by position", "--x");
    }

    [Fact]
    public void ColumnNamedX1IsThatColumnNotTheSecondInput()
    {
        // x1 is the third column: by name, not input 1.
        using var dir = new TempDir();
        var sb = new StringBuilder("y,u,x1\n");
        for (int i = 0; i < 8; i++) sb.Append(CultureInfo.InvariantCulture, $"{R(2 + (3 * i))},{R(Math.Sin(i))},{i}\n");
        string data = dir.File("x1.csv", sb.ToString());
        var beta = Beta(CliRunner.Run("fit", data, "--model", "B0 + B1*x1", "--beta0", "1,1", "--json", "-"));
        Assert.Equal(2, beta[0], 1e-9);
        Assert.Equal(3, beta[1], 1e-9);
    }

    public static TheoryData<string, string, string> Keywords() => new()
    {
        { "linear", "analytic", "0.5,1" }, { "linear", "forward", "0.5,1" }, { "linear", "central", "0.5,1" },
        { "quadratic", "analytic", "0.1,0.5,1" }, { "quadratic", "forward", "0.1,0.5,1" }, { "quadratic", "central", "0.1,0.5,1" },
        { "exp", "analytic", "1,0.2" }, { "exp", "forward", "1,0.2" }, { "exp", "central", "1,0.2" },
        { "cubic", "analytic", "1,0.5,0.1,0" }, { "cubic", "forward", "1,0.5,0.1,0" },
    };

    /// <summary>A keyword's fit is the library model's fit, to the bit.</summary>
    [Theory]
    [MemberData(nameof(Keywords))]
    public void KeywordsAreTheLibraryModels(string keyword, string deriv, string beta0Text)
    {
        double[] x = new double[12], y = new double[12];
        var sb = new StringBuilder("x,y\n");
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 0.4 * i;
            y[i] = 1 + Math.Exp(0.3 * x[i]) + (0.05 * Math.Sin(3 * i));
            sb.Append(CultureInfo.InvariantCulture, $"{R(x[i])},{R(y[i])}\n");
        }
        using var dir = new TempDir();
        string data = dir.File("k.csv", sb.ToString());
        var tool = Beta(CliRunner.Run("fit", data, "--model", keyword, "--beta0", beta0Text, "--deriv", deriv, "--json", "-"));

        var model = keyword switch
        {
            "linear" => Models.Unilinear,
            "quadratic" => Models.Quadratic,
            "exp" => Models.Exponential,
            _ => Models.Polynomial(3),
        };
        double[] beta0 = [.. beta0Text.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
        var odr = new ODR(new RealData(x, y), model, beta0);
        odr.SetJob(fitType: 0, deriv: deriv switch { "forward" => 0, "central" => 1, _ => 2 });
        var library = odr.Run().Beta;
        Assert.Equal(library.Length, tool.Length);
        for (int k = 0; k < tool.Length; k++) Assert.Equal(BitConverter.DoubleToInt64Bits(library[k]), BitConverter.DoubleToInt64Bits(tool[k]));
    }

    [Fact]
    public void KeywordsTakeOneInputAndNoImplicitFit()
    {
        using var dir = new TempDir();
        string data = Line(dir, "x", "y", yFirst: false, extra: "t");
        AssertRefused(CliRunner.Run("fit", data, "--x", "x,t", "--model", "linear", "--beta0", "1,1"), "linear", "one input");
        AssertRefused(CliRunner.Run("fit", data, "--fit", "implicit", "--model", "linear", "--beta0", "1,1"), "implicit");
    }

    [Fact]
    public void DeeplyNestedFormulasAreRefused()
    {
        using var dir = new TempDir();
        string data = Line(dir, "x", "y", yFirst: false);
        string parens = new string('(', 20_000) + "x" + new string(')', 20_000);
        AssertRefused(CliRunner.Run("fit", data, "--model", "B0*" + parens, "--beta0", "1"), "too long");
        string exps = string.Concat(Enumerable.Repeat("exp(", 5_300)) + "x" + new string(')', 5_300);
        AssertRefused(CliRunner.Run("fit", data, "--model", "B0*" + exps, "--beta0", "1"), "too long");
        string deep = string.Concat(Enumerable.Repeat("sin(", 1_000)) + "x" + new string(')', 1_000);
        AssertRefused(CliRunner.Run("fit", data, "--model", "B0*" + deep, "--beta0", "1"), "nested too deeply");
    }

    [Theory]
    [InlineData("B0+B1000000*x", "too large")]
    [InlineData("B0+B999999999*x", "too large")]
    [InlineData("B0+B99999999999999*x", "too large")]
    [InlineData("B0+B500*x", "the model uses 501 parameters")]
    [InlineData("B0+B9999*x", "the model uses 10000 parameters")]
    public void ParameterIndicesAreCheckedBeforeAnythingIsAllocated(string model, string fragment)
    {
        using var dir = new TempDir();
        string data = Line(dir, "x", "y", yFirst: false);
        AssertRefused(CliRunner.Run("fit", data, "-m", model, "-b", "1,1"), fragment);
    }

    [GeneratedRegex(@"^\s+(\d+)\s+\d+\s+\d\.\d+D[+-]\d\d\s", RegexOptions.Multiline)]
    private static partial Regex IterationLine();

    [Fact]
    public void ReportIterationsPrintsOneLinePerIteration()
    {
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        string[] common = ["fit", data, "--model", "B0 + B1*x", "--beta0", "5,-0.5"];
        var r = CliRunner.Run([.. common, "--report", "iterations"]);
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(CliRunner.Run([.. common, "--json", "-"]).Stdout);
        int iterations = doc.RootElement.GetProperty("iterations").GetInt32();
        Assert.True(iterations > 1);
        Assert.Contains("ITERATION REPORTS FOR FIT BY METHOD OF ODR", r.Stdout);
        var numbers = IterationLine().Matches(r.Stdout).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Enumerable.Range(1, iterations), numbers);
    }
}
