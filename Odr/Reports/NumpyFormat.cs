using System.Globalization;
using System.Text;

namespace Odr;

/// <summary>Formats numbers and arrays the way numpy prints them by default (precision 8,
/// 'maxprec' float mode), so <see cref="Output.Pprint"/> reads like scipy's.</summary>
internal static class NumpyFormat
{
    private const int Precision = 8;

    public static string Scalar(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        // numpy prints a float64 scalar with repr: the shortest round-trip form.
        string r = v.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E'))
        {
            var parts = r.Split('E');
            string mant = parts[0];
            int exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return mant + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }
        if (!r.Contains('.')) r += ".0";
        return r;
    }

    public static string Array(IReadOnlyList<double> values)
    {
        var cells = FormatCells(values);
        return "[" + string.Join(" ", cells) + "]";
    }

    public static string Matrix(double[,] a, int indent)
    {
        int rows = a.GetLength(0), cols = a.GetLength(1);
        var all = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++) all[r * cols + c] = a[r, c];
        }
        var cells = FormatCells(all);
        var sb = new StringBuilder("[");
        for (int r = 0; r < rows; r++)
        {
            if (r > 0) sb.Append('\n').Append(' ', 1);
            sb.Append('[').Append(string.Join(" ", cells.Skip(r * cols).Take(cols))).Append(']');
        }
        sb.Append(']');
        _ = indent;
        return sb.ToString();
    }

    /// <summary>Formats all values with a common style and width, as numpy does within one array.</summary>
    private static string[] FormatCells(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).Select(Math.Abs).ToArray();
        double maxAbs = finite.Length > 0 ? finite.Max() : 0;
        double minAbs = finite.Where(v => v > 0).DefaultIfEmpty(0).Min();
        bool scientific = maxAbs >= 1e8 || (minAbs > 0 && (minAbs < 1e-4 || maxAbs / minAbs > 1e3));
        string[] cells;
        if (scientific)
        {
            int digits = 0;
            foreach (double v in values.Where(double.IsFinite)) digits = Math.Max(digits, SignificantDecimals(v));
            cells = values.Select(v => FormatScientific(v, digits)).ToArray();
        }
        else
        {
            // numpy's 'maxprec': each value with its own shortest form (at most 8 decimals), integer
            // parts right-aligned and fractions padded with spaces so the points line up.
            var parts = values.Select(v => SplitFixed(v)).ToArray();
            int intWidth = parts.Max(p => p.Integer.Length);
            int fracWidth = parts.Max(p => p.Fraction.Length);
            cells = parts.Select(p => p.Integer.PadLeft(intWidth) + p.Fraction.PadRight(fracWidth)).ToArray();
        }
        int width = cells.Max(c => c.Length);
        bool anyNegative = values.Any(v => v < 0 || double.IsNegative(v));
        if (!anyNegative) width = Math.Max(width, 1);
        return cells.Select(c => c.PadLeft(width)).ToArray();
    }

    /// <summary>Integer part (with sign) and fraction part (with the point) of a value printed with
    /// at most 8 decimals and no trailing zeros.</summary>
    private static (string Integer, string Fraction) SplitFixed(double v)
    {
        if (double.IsNaN(v)) return ("nan", string.Empty);
        if (double.IsInfinity(v)) return (v > 0 ? "inf" : "-inf", string.Empty);
        string s = v.ToString("0.########", CultureInfo.InvariantCulture);
        if (s == "-0" && !double.IsNegative(v)) s = "0";
        int dot = s.IndexOf('.');
        return dot < 0 ? (s, ".") : (s.Substring(0, dot), s.Substring(dot));
    }

    private static int SignificantDecimals(double v)
    {
        if (v == 0) return 0;
        string s = v.ToString("E" + Precision, CultureInfo.InvariantCulture);
        string mant = s.Split('E')[0].TrimEnd('0');
        int dot = mant.IndexOf('.');
        return dot < 0 ? 0 : mant.Length - dot - 1;
    }

    private static string FormatScientific(double v, int digits)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        string s = v.ToString("E" + digits, CultureInfo.InvariantCulture);
        var parts = s.Split('E');
        int exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
        string mant = parts[0];
        if (digits == 0) mant += ".";
        return mant + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }
}
