using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Odr.Cli.Tests;

/// <summary>Random column names against random formulas.</summary>
public class FormulaFuzzTests
{
    private static readonly string[] ColumnNames = ["x", "y", "e", "pi", "B0", "B1", "B", "t", "u", "x0", "x1", "sin", "exp", "signal"];
    private static readonly string[] Terms = ["x", "y", "e", "pi", "t", "u", "x0", "x1", "x[1]", "sin(t)", "exp(u)", "sin", "B", "signal", "B[1]"];

    // Written out here, independently of the tool: names with a meaning of their own in a formula.
    private static readonly HashSet<string> Constants = ["e", "pi"];
    private static readonly HashSet<string> Functions = ["sin", "exp"];

    private static bool IsParameter(string name) => name == "B" || (name.Length > 1 && name[0] == 'B' && name[1..].All(char.IsAsciiDigit));

    private static string Csv(IReadOnlyList<string> header, int inputColumn, int responseColumn)
    {
        var sb = new StringBuilder(string.Join(",", header)).Append('\n');
        for (int i = 0; i < 8; i++)
        {
            double x = (0.5 * i) - 1;
            var cells = new string[header.Count];
            for (int c = 0; c < cells.Length; c++)
            {
                double v = c == inputColumn ? x : c == responseColumn ? 2 + (3 * x) : 1 + (0.1 * i * i);
                cells[c] = v.ToString("R", CultureInfo.InvariantCulture);
            }
            sb.Append(string.Join(",", cells)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// A formula B0 + B1*a + 0*b against a file of three randomly named columns: when a name the formula uses
    /// is both a column and a constant, a parameter or a function written without parentheses, the tool
    /// refuses with exit 2 and says to rename the column; otherwise it never says so. It never crashes.
    /// </summary>
    [Property(MaxTest = 150)]
    public Property CollidingNamesAreRefusedExactlyWhenTheFormulaUsesThem()
    {
        var gen = from names in Gen.Shuffle(ColumnNames)
                  from a in Gen.Elements(Terms)
                  from b in Gen.Elements(Terms)
                  from withY in Gen.Elements(true, false)
                  select (names.Take(3).ToArray(), a, b, withY);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (header, a, b, withY) = t;
            string model = $"B0 + B1*{a} + 0*{b}";
            using var dir = new TempDir();
            string data = dir.File("d.csv", Csv(header, 0, 1));
            var args = new List<string> { "fit", data, "--model", model, "--beta0", "1,1", "--report", "none" };
            if (withY) args.AddRange(["--y", header[1]]);
            var r = CliRunner.Run([.. args]);

            // The identifiers the formula uses, and whether each is called.
            var used = new List<(string Name, bool Called)> { ("B0", false), ("B1", false) };
            foreach (string term in new[] { a, b })
            {
                string name = new([.. term.TakeWhile(c => char.IsAsciiLetterOrDigit(c) || c == '_')]);
                used.Add((name, term.Length > name.Length && term[name.Length] == '('));
                if (term.Contains('(', StringComparison.Ordinal)) used.Add((term[(name.Length + 1)..^1], false));
            }
            bool collision = used.Any(u => header.Contains(u.Name)
                && (Constants.Contains(u.Name) || IsParameter(u.Name) || (Functions.Contains(u.Name) && !u.Called)));

            string err = r.Stderr.TrimEnd('\r', '\n');
            bool oneLine = r.Code != 2 || (err.StartsWith("odr: ", StringComparison.Ordinal) && !err.Contains('\n', StringComparison.Ordinal));
            bool ok = r.Code is 0 or 2 or 3 && oneLine && !r.Stderr.Contains("   at ", StringComparison.Ordinal)
                && (collision ? r.Code == 2 && err.Contains("rename the column", StringComparison.Ordinal) : !err.Contains("rename the column", StringComparison.Ordinal));
            return ok.Label($"columns {string.Join(",", header)}, model {model}, collision {collision}\n{r}");
        });
    }

    private static readonly string[] PlainNames = ["x", "y", "x0", "x1", "x2", "t", "u", "v"];

    /// <summary>
    /// A column with any name, positional-looking ones included, is that column: the fit of exact line data
    /// through the column's name gives the line, and the same bits as the fit with the column renamed.
    /// </summary>
    [Property(MaxTest = 40)]
    public Property AColumnIsUsedByItsNameWhateverItLooksLike()
    {
        var gen = from names in Gen.Shuffle(PlainNames)
                  from input in Gen.Choose(0, 2)
                  from shift in Gen.Choose(1, 2)
                  select (names.Take(3).ToArray(), input, (input + shift) % 3);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (header, input, response) = t;
            using var dir = new TempDir();

            double[]? Fit(string[] columns, string name)
            {
                string data = dir.File(name + ".csv", Csv(columns, input, response));
                var args = new List<string> { "fit", data, "--model", $"B0 + B1*{columns[input]}", "--beta0", "1,1", "--json", "-" };
                if (columns[response] != "y") args.AddRange(["--y", columns[response]]);
                var r = CliRunner.Run([.. args]);
                if (r.Code != 0) return null;
                using var doc = JsonDocument.Parse(r.Stdout);
                return [.. doc.RootElement.GetProperty("beta").EnumerateArray().Select(e => e.GetDouble())];
            }

            var named = Fit(header, "named");
            var renamedHeader = (string[])header.Clone();
            renamedHeader[input] = "renamed";
            var renamed = Fit(renamedHeader, "renamed");
            bool ok = named is not null && renamed is not null
                && named.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(renamed.Select(BitConverter.DoubleToInt64Bits))
                && Math.Abs(named[0] - 2) < 1e-9 && Math.Abs(named[1] - 3) < 1e-9;
            return ok.Label($"columns {string.Join(",", header)}, input {header[input]}, response {header[response]}: " +
                $"{(named is null ? "failed" : string.Join(" ", named))} / {(renamed is null ? "failed" : string.Join(" ", renamed))}");
        });
    }

    /// <summary>
    /// B0*f(f(...(x))) with random wrappers (sin( adds a level to the tree, ( only to the parser's nesting) and
    /// padding: the tool refuses with exit 2, saying too deep or too long, exactly when the nesting, the depth
    /// (the product, the functions, x) or the length passes the documented limits; otherwise it fits (0 or 3).
    /// </summary>
    [Property(MaxTest = 30)]
    public Property DepthAndLengthAreRefusedExactlyBeyondTheLimits()
    {
        var gen = from count in Gen.Frequency((1, Gen.Choose(0, 300)), (2, Gen.Choose(244, 256)))
                  from sines in Gen.ArrayOf(Gen.Elements(true, false), count)
                  from padding in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(8_000, 10_000)))
                  select (sines, padding);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (sines, padding) = t;
            string model = "B0*" + string.Concat(sines.Select(s => s ? "sin(" : "(")) + "x" + new string(')', sines.Length) + new string(' ', padding);
            int depth = 1 + sines.Count(s => s) + 1;
            bool refused = sines.Length > Odr.Expressions.Formula.MaxDepth || depth > Odr.Expressions.Formula.MaxDepth || model.Length > Odr.Expressions.Formula.MaxLength;
            using var dir = new TempDir();
            string data = dir.File("d.csv", Csv(["x", "y"], 0, 1));
            var r = CliRunner.Run("fit", data, "--model", model, "--beta0", "1", "--report", "none");
            string err = r.Stderr.TrimEnd('\r', '\n');
            bool ok = refused
                ? r.Code == 2 && !err.Contains('\n', StringComparison.Ordinal) && (err.Contains("nested too deeply", StringComparison.Ordinal) || err.Contains("too long", StringComparison.Ordinal))
                : r.Code is 0 or 3;
            return ok.Label($"nesting {sines.Length}, depth {depth}, length {model.Length}, expected refused {refused}\n{r}");
        });
    }
}
