using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Odr.Tests.Support;

namespace Odr.Tests.Reports;

/// <summary>Generates a reference case's report and compares it with ODRPACK's own (Data/reports),
/// line by line: the text with every real number masked must be identical (so headings, columns,
/// integers and line structure match), and the numbers must agree to the printed precision.</summary>
internal static partial class ReportComparison
{
    /// <summary>IPRINT of the reference reports: long initial summary, a long line every iteration,
    /// long final summary.</summary>
    public const int ReferenceIprint = 2212;

    [GeneratedRegex(@"(-?)(\d\.\d+(?:[DE][+-]\d\d|[+-]\d\d\d))")]
    private static partial Regex RealNumber();

    public static string[] ReferenceLines(string name) =>
        SplitLines(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "reports", name + ".txt")));

    public static string Generate(string name, int iprint = ReferenceIprint)
    {
        var odr = ReferenceCases.BuildOdr(ReferenceCases.Get(name));
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        odr.ReportWriter = writer;
        odr.Iprint = iprint;
        odr.Run();
        return writer.ToString();
    }

    public static string[] SplitLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines.ToArray();
    }

    /// <summary>The line with each real number replaced by '#'s of its width (a minus sign becomes a
    /// blank, so a sign difference is left to the numeric comparison).</summary>
    public static string Mask(string line) =>
        RealNumber().Replace(line, m => (m.Groups[1].Length > 0 ? " " : string.Empty) + new string('#', m.Groups[2].Length));

    /// <summary>The real numbers of a line with their printed number of significant digits.</summary>
    public static List<(double Value, int Digits)> Numbers(string line)
    {
        var result = new List<(double, int)>();
        foreach (Match m in RealNumber().Matches(line))
        {
            string text = m.Value.Replace('D', 'E');
            if (!text.Contains('E', StringComparison.Ordinal))
            {
                // Three-digit exponent without a letter: 1.234-100.
                int at = text.LastIndexOfAny(new[] { '+', '-' });
                text = text.Substring(0, at) + "E" + text.Substring(at);
            }
            string mantissa = m.Groups[2].Value;
            int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
            int end = mantissa.IndexOfAny(new[] { 'D', 'E', '+', '-' }, dot);
            int digits = end - dot; // one before the point plus those after it
            result.Add((double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), digits));
        }
        return result;
    }

    /// <summary>How closely numbers must agree: within <see cref="Rel"/> relative, or within
    /// <see cref="LastDigits"/> units of the last printed digit, or within <see cref="Abs"/> (for the
    /// per-observation tables, a fraction <see cref="TableFraction"/> of the table's largest value).</summary>
    public sealed record Tolerance(double Rel, double LastDigits = 1.0, double Abs = 0, double TableFraction = 0);

    /// <summary>Tolerances per part of the report.</summary>
    /// <param name="Summary">Initial and final summaries (inputs, sums of squares, beta, sd, intervals).</param>
    /// <param name="IterationWss">The weighted sum of squares and beta of the iteration lines.</param>
    /// <param name="IterationReductions">The reductions and TAU/PNORM of the iteration lines.</param>
    /// <param name="Residuals">The final per-observation epsilon and delta tables.</param>
    public sealed record Profile(Tolerance Summary, Tolerance IterationWss, Tolerance IterationReductions, Tolerance Residuals);

    /// <summary>Same arithmetic path as ODRPACK: every number to its last printed digit or 1e-5 relative;
    /// the relative reductions (1 - ratio², so their absolute rounding error is some ulps of 1) also
    /// within 1e-12 absolute.</summary>
    public static readonly Profile SamePath = new(new(1e-5), new(1e-5), new(1e-5, Abs: 1e-12), new(1e-5));

    /// <summary>Finite-difference paths that drift at the noise level from ODRPACK's: the summaries
    /// still to 1e-5, the iteration trace to 1e-3 (sums of squares, beta) and 10% or 1e-6 absolute
    /// (relative reductions near convergence are noise), the residual tables to 1e-5 of their scale.</summary>
    public static readonly Profile NearbyPath = new(new(1e-5), new(1e-3), new(1e-1, Abs: 1e-6), new(1e-5, TableFraction: 1e-5));

    /// <summary>Compares generated and reference text; returns the differences found (empty when the
    /// reports agree).</summary>
    public static List<string> Compare(string[] actual, string[] expected, Profile? profile = null)
    {
        profile ??= SamePath;
        var problems = new List<string>();
        if (actual.Length != expected.Length) problems.Add($"line count {actual.Length} != {expected.Length}");
        int count = Math.Min(actual.Length, expected.Length);
        string section = "initial";
        double tableScale = 0;
        for (int i = 0; i < count; i++)
        {
            string e0 = expected[i];
            if (e0.Contains("*** ITERATION REPORTS", StringComparison.Ordinal)) section = "iteration";
            else if (e0.Contains("*** FINAL SUMMARY", StringComparison.Ordinal)) section = "final";
            else if (section == "final" && (e0.StartsWith(" --- ESTIMATED EPSILON", StringComparison.Ordinal) || e0.StartsWith(" --- ESTIMATED DELTA", StringComparison.Ordinal)))
            {
                section = "residuals";
                tableScale = 0;
                for (int j = i + 1; j < expected.Length && !expected[j].StartsWith(" ---", StringComparison.Ordinal); j++)
                {
                    foreach (var (v, _) in Numbers(expected[j])) tableScale = Math.Max(tableScale, Math.Abs(v));
                }
            }

            string ma = Mask(actual[i]), me = Mask(expected[i]);
            if (ma != me)
            {
                problems.Add($"line {i + 1} layout:\n  got      [{actual[i]}]\n  expected [{expected[i]}]");
                continue;
            }
            var na = Numbers(actual[i]);
            var ne = Numbers(expected[i]);
            bool continuation = section == "iteration" && expected[i].StartsWith(new string(' ', 60), StringComparison.Ordinal);
            for (int k = 0; k < Math.Min(na.Count, ne.Count); k++)
            {
                Tolerance tol = section switch
                {
                    "iteration" => !continuation && k is >= 1 and <= 3 ? profile.IterationReductions : profile.IterationWss,
                    "residuals" => profile.Residuals,
                    _ => profile.Summary,
                };
                double a = na[k].Value, e = ne[k].Value;
                double diff = Math.Abs(a - e);
                double scale = Math.Max(Math.Abs(a), Math.Abs(e));
                double unit = e == 0 ? Math.Pow(10, -(ne[k].Digits - 1)) : Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(e))) - (ne[k].Digits - 1));
                bool ok = diff <= tol.Rel * scale
                    || diff <= tol.LastDigits * unit * (1 + 1e-9)
                    || diff <= tol.Abs
                    || diff <= tol.TableFraction * tableScale;
                if (!ok) problems.Add($"line {i + 1} ({section}) number {k + 1}: {a:R} vs {e:R}\n  got      [{actual[i]}]\n  expected [{expected[i]}]");
            }
        }
        return problems;
    }

    public static string Describe(List<string> problems)
    {
        var sb = new StringBuilder();
        foreach (var p in problems.Take(20)) sb.AppendLine(p);
        if (problems.Count > 20) sb.AppendLine($"... and {problems.Count - 20} more");
        return sb.ToString();
    }
}
