using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Odr.Cli.Tests;

/// <summary>
/// The same numbers written in many CSV shapes (comma, semicolon or tab; decimal commas; narrow or
/// thousands of columns wide; quoted cells; blank and comment lines; CRLF; with or without a header)
/// give the same fit, to the last bit of every JSON field, as the plain comma-separated file, or
/// (without a header) exit 2 with one line. Never an internal error or a stack trace.
/// </summary>
public class CsvShapeFuzzTests
{
    private static readonly string[] Words = ["a", "bc", "note", "Z", "q_1"];

    private sealed record Shape(int Seed, char Delimiter, bool DecimalComma, int Extra, bool Header, bool Crlf, bool PassDelimiter);

    private static Gen<Shape> Shapes =>
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from delimiter in Gen.Elements(',', ';', '\t')
        from decimalComma in Gen.Elements(false, true)
        from extra in Gen.Frequency((6, Gen.Choose(0, 4)), (1, Gen.Choose(800, 2000)))
        from header in Gen.Frequency((9, Gen.Constant(true)), (1, Gen.Constant(false)))
        from crlf in Gen.Elements(false, true)
        from pass in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new Shape(seed, delimiter, decimalComma && delimiter != ',', extra, header, crlf, pass);

    [Property(MaxTest = 100)]
    public Property AnyShapeFitsLikeThePlainCommaFile() => Prop.ForAll(Shapes.ToArbitrary(), shape =>
    {
        var r = new Random(shape.Seed);
        int n = r.Next(3, 11);
        int digits = r.Next(0, 7);
        int columns = 2 + shape.Extra;
        int xAt = r.Next(columns), yAt = (xAt + 1 + r.Next(columns - 1)) % columns;
        var names = new string[columns];
        var textColumn = new bool[columns];
        for (int c = 0, k = 0; c < columns; c++)
        {
            names[c] = c == xAt ? "x" : c == yAt ? "y" : $"extra{k++}";
            textColumn[c] = c != xAt && c != yAt && r.Next(4) == 0;
        }
        var values = new string[n, columns];
        var plain = new string[n, columns];
        for (int i = 0; i < n; i++)
        {
            double x = i + Math.Round(r.NextDouble() * 0.5, digits);
            for (int c = 0; c < columns; c++)
            {
                if (textColumn[c])
                {
                    string word = Words[r.Next(Words.Length)];
                    plain[i, c] = word;
                    // Text may hold any delimiter when quoted.
                    values[i, c] = r.Next(3) == 0 ? $"\"{word}{",;\t"[r.Next(3)]}{word}\"" : word;
                    continue;
                }
                double v = c == xAt ? x : c == yAt ? 1 + 2 * x + Math.Round(r.NextDouble() * 0.2 - 0.1, digits) : Math.Round(r.NextDouble() * 1000 - 500, digits);
                if (r.Next(8) == 0) v *= 1e-7;
                string s = v.ToString("R", CultureInfo.InvariantCulture);
                plain[i, c] = s;
                string written = shape.DecimalComma ? s.Replace('.', ',') : s;
                values[i, c] = r.Next(5) == 0 ? $"\"{written}\"" : written;
            }
        }

        string nl = shape.Crlf ? "\r\n" : "\n";
        var text = new StringBuilder();
        if (r.Next(3) == 0) text.Append("# measured ").Append(shape.Seed).Append(", in units; with, delimiters").Append(nl);
        if (r.Next(3) == 0) text.Append(nl);
        if (shape.Header) text.Append(string.Join(shape.Delimiter, names)).Append(nl);
        for (int i = 0; i < n; i++)
        {
            if (r.Next(6) == 0) text.Append(r.Next(2) == 0 ? nl : "# comment" + nl);
            text.Append(string.Join(shape.Delimiter, Enumerable.Range(0, columns).Select(c => values[i, c])));
            if (i < n - 1 || r.Next(2) == 0) text.Append(nl);
        }
        var reference = new StringBuilder(string.Join(',', names)).Append('\n');
        for (int i = 0; i < n; i++) reference.Append(string.Join(',', Enumerable.Range(0, columns).Select(c => plain[i, c]))).Append('\n');

        using var dir = new TempDir();
        string file = dir.File("shaped.csv", text.ToString());
        string plainFile = dir.File("plain.csv", reference.ToString());
        string[] fit = ["--x", "x", "--y", "y", "-m", "B0 + B1*x", "-b", "0.5,1.5", "--json", "-"];
        string[] delimiterOption = shape.PassDelimiter ? ["--delimiter", shape.Delimiter == '\t' ? "tab" : shape.Delimiter.ToString()] : [];
        var got = CliRunner.Run(["fit", file, .. fit, .. delimiterOption]);
        bool clean = !got.Stderr.Contains("   at ", StringComparison.Ordinal) && got.Code != 1;
        if (!shape.Header)
        {
            bool oneLine = got.Code == 2 && got.Stderr.TrimEnd('\r', '\n').Split('\n').Length == 1 && got.Stdout.Length == 0;
            return (clean && oneLine).Label($"{shape}\n{text}\n{got}");
        }
        var expected = CliRunner.Run(["fit", plainFile, .. fit]);
        return (clean && got.Code == expected.Code && got.Stdout == expected.Stdout && expected.Code is 0 or 3)
            .Label($"{shape}\n--- file ---\n{text}\n--- got ---\n{got}\n--- comma file ---\n{expected}");
    });
}
