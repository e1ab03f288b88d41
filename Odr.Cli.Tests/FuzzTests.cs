using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Odr.Cli.Tests;

/// <summary>Random CSV garbage and random arguments: the tool answers with a result (exit 0 or 3) or a
/// one-line error (exit 2) — never an internal error (exit 1), a stack trace or a hang.</summary>
public class FuzzTests
{
    private static readonly string[] Cells = { "1", "2.5", "-3e2", "x", "y", "\"4\"", "", " ", "nan", "inf", "1,5", "\"a,b\"", "#c", "0", "1e400", "--", "\"" };

    [Property(MaxTest = 400)]
    public Property RandomCsvGarbageNeverCrashesTheTool() => Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue - 1)), seed =>
    {
        var r = new Random(seed);
        var csv = new StringBuilder();
        int rows = r.Next(0, 8);
        for (int i = 0; i < rows; i++)
        {
            int cols = r.Next(0, 4);
            csv.AppendLine(string.Join(r.Next(10) == 0 ? ";" : ",", Enumerable.Range(0, cols).Select(_ => i == 0 && r.Next(2) == 0 ? (r.Next(2) == 0 ? "x" : "y") : Cells[r.Next(Cells.Length)])));
        }
        using var dir = new TempDir();
        string path = dir.File("garbage.csv", csv.ToString());
        string[] models = { "B0 + B1*x", "B0*exp(B1*x)", "B0 + ", "B0*foo(x)", "linear", "B[0]*x + B[2]" };
        var args = new List<string> { "fit", path, "--model", models[r.Next(models.Length)], "--beta0=" + string.Join(",", Enumerable.Range(0, r.Next(0, 4)).Select(_ => (r.NextDouble() * 4 - 2).ToString(System.Globalization.CultureInfo.InvariantCulture))) };
        if (r.Next(3) == 0) args.AddRange(new[] { "--sx", r.Next(2) == 0 ? "0.1" : "x" });
        if (r.Next(4) == 0) args.AddRange(new[] { "--fit", r.Next(2) == 0 ? "ols" : "implicit" });
        var result = CliRunner.Run(args.ToArray());
        bool ok = result.Code is 0 or 2 or 3
            && !result.Stderr.Contains("   at ", StringComparison.Ordinal)
            && (result.Code != 2 || result.Stderr.TrimEnd('\n', '\r').Split('\n').Length == 1);
        return ok.Label(result.ToString());
    });
}
