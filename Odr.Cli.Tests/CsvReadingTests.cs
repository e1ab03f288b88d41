using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Odr.Cli.Tests;

/// <summary>Real files: long rows, semicolons, tabs, decimal commas, odd names, and messages in the tool's words.</summary>
public class CsvReadingTests
{
    // y = 1 + 2x plus a little noise; the OLS line through these points is known in closed form (see OlsLine).
    private static readonly double[] X = [0, 1, 2, 3, 4, 5, 6];
    private static readonly double[] Y = [1.1, 2.9, 5.2, 6.8, 9.1, 11.0, 12.9];

    internal static void AssertOneLineError(CliResult r, params string[] fragments)
    {
        Assert.True(r.Code == 2, r.ToString());
        string err = r.Stderr.TrimEnd('\r', '\n');
        Assert.DoesNotContain('\n', err);
        Assert.StartsWith("odr: ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        foreach (var f in fragments) Assert.Contains(f, err, StringComparison.Ordinal);
    }

    internal static string Csv(string delimiter, bool decimalComma)
    {
        var sb = new StringBuilder($"x{delimiter}y\n");
        for (int i = 0; i < X.Length; i++)
        {
            string xs = X[i].ToString("R", CultureInfo.InvariantCulture), ys = Y[i].ToString("R", CultureInfo.InvariantCulture);
            if (decimalComma)
            {
                xs = xs.Replace('.', ',');
                ys = ys.Replace('.', ',');
            }
            sb.Append(xs).Append(delimiter).Append(ys).Append('\n');
        }
        return sb.ToString();
    }

    internal static double[] Beta(CliResult r)
    {
        Assert.True(r.Code == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        return [.. doc.RootElement.GetProperty("beta").EnumerateArray().Select(e => e.GetDouble())];
    }

    /// <summary>The least-squares line's intercept and slope from the normal equations (an independent computation).</summary>
    internal static (double A, double B) OlsLine()
    {
        double mx = X.Average(), my = Y.Average();
        double sxy = X.Zip(Y, (a, b) => (a - mx) * (b - my)).Sum(), sxx = X.Sum(a => (a - mx) * (a - mx));
        return (my - sxy / sxx * mx, sxy / sxx);
    }

    [Theory]
    [InlineData(";", false)]
    [InlineData("\t", false)]
    [InlineData(";", true)]
    [InlineData("\t", true)]
    public void SemicolonAndTabFilesFitLikeTheCommaFile(string delimiter, bool decimalComma)
    {
        using var dir = new TempDir();
        string comma = dir.File("comma.csv", Csv(",", false));
        string other = dir.File("other.csv", Csv(delimiter, decimalComma));
        var expected = Beta(CliRunner.Run("fit", comma, "--fit", "ols", "-m", "B0 + B1*x", "-b", "0,1", "--json", "-"));
        var got = Beta(CliRunner.Run("fit", other, "--fit", "ols", "-m", "B0 + B1*x", "-b", "0,1", "--json", "-"));
        Assert.Equal(expected, got);
        var (a, b) = OlsLine();
        Assert.Equal(a, got[0], 1e-9);
        Assert.Equal(b, got[1], 1e-9);

        // The summary says how the file was read.
        var text = CliRunner.Run("fit", other, "--fit", "ols", "-m", "B0 + B1*x", "-b", "0,1");
        Assert.True(text.Code == 0, text.ToString());
        Assert.Contains($"Read as {(delimiter == ";" ? "semicolon" : "tab")}-separated values{(decimalComma ? " with decimal commas" : "")}", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void CommaFileSaysNothingAboutItsFormat()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("fit", dir.File("d.csv", Csv(",", false)), "-m", "B0 + B1*x", "-b", "0,1");
        Assert.True(r.Code == 0, r.ToString());
        Assert.DoesNotContain("Read as", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AmbiguousDelimiterIsRefusedSayingWhatWasFound()
    {
        using var dir = new TempDir();
        // Both a comma and a semicolon split every line into two columns.
        string data = dir.File("amb.csv", "a,b;c\n1,2;3\n4,5;6\n7,8;9\n");
        AssertOneLineError(CliRunner.Run("fit", data, "-m", "B0 + B1*x", "-b", "0,1"), "cannot tell the delimiter", "commas into 2 columns", "semicolons into 2 columns", "--delimiter");
    }

    [Fact]
    public void DelimiterOptionSettlesIt()
    {
        using var dir = new TempDir();
        // A note column with a comma in every row: commas and semicolons both split every line evenly.
        var sb = new StringBuilder("x;y;note, unit\n");
        for (int i = 0; i < X.Length; i++) sb.Append(CultureInfo.InvariantCulture, $"{X[i]:R};{Y[i]:R};a,b\n");
        string data = dir.File("notes.csv", sb.ToString());
        AssertOneLineError(CliRunner.Run("fit", data, "--fit", "ols", "-m", "B0 + B1*x", "-b", "0,1"), "cannot tell the delimiter", "--delimiter ','", "--delimiter ';'");
        var got = Beta(CliRunner.Run("fit", data, "--delimiter", ";", "--fit", "ols", "-m", "B0 + B1*x", "-b", "0,1", "--json", "-"));
        var (a, b) = OlsLine();
        Assert.Equal(a, got[0], 1e-9);
        Assert.Equal(b, got[1], 1e-9);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("ab")]
    [InlineData("")]
    public void BadDelimiterOption(string value)
    {
        using var dir = new TempDir();
        AssertOneLineError(CliRunner.Run("fit", dir.File("d.csv", Csv(",", false)), "--delimiter", value, "-m", "B0 + B1*x", "-b", "0,1"), "--delimiter");
    }

    [Fact]
    public void MixedDecimalSeparatorsAreRefused()
    {
        using var dir = new TempDir();
        string data = dir.File("mixed.csv", "x;y\n1,5;2.5\n2,5;3.5\n3,5;4.5\n");
        AssertOneLineError(CliRunner.Run("fit", data, "-m", "B0 + B1*x", "-b", "0,1"), "decimal comma ('1,5')", "decimal point ('2.5')");
    }

    [Fact]
    public void DecimalPointLaterInADecimalCommaFileNamesTheCell()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("x;y\n");
        for (int i = 0; i < 30; i++) sb.Append(CultureInfo.InvariantCulture, $"{i},5;{2 * i},25\n");
        sb.Append("31;62.5\n");
        AssertOneLineError(CliRunner.Run("fit", dir.File("late.csv", sb.ToString()), "-m", "B0 + B1*x", "-b", "0,1"), "row 31", "column 'y'", "'62.5' is not a number", "decimal commas");
    }

    /// <summary>Rows far longer than the CSV reader's default buffer (16 KB): 2,000 numeric columns.</summary>
    [Fact]
    public void RowsOfThousandsOfColumnsAreRead()
    {
        using var dir = new TempDir();
        const int Columns = 2000;
        var sb = new StringBuilder(string.Join(",", Enumerable.Range(0, Columns).Select(c => $"c{c}"))).Append('\n');
        for (int i = 0; i < X.Length; i++)
        {
            var row = Enumerable.Range(0, Columns).Select(c => c switch
            {
                0 => X[i].ToString("R", CultureInfo.InvariantCulture),
                1 => Y[i].ToString("R", CultureInfo.InvariantCulture),
                _ => (0.123456789012345 * c + i).ToString("R", CultureInfo.InvariantCulture),
            });
            sb.Append(string.Join(",", row)).Append('\n');
        }
        Assert.True(sb.Length / (X.Length + 1) > 30_000);
        var got = Beta(CliRunner.Run("fit", dir.File("wide.csv", sb.ToString()), "--fit", "ols", "-m", "B0 + B1*x", "-b", "0,1", "--json", "-"));
        var (a, b) = OlsLine();
        Assert.Equal(a, got[0], 1e-9);
        Assert.Equal(b, got[1], 1e-9);
    }
}
