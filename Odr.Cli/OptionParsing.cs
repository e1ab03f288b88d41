using System.Globalization;

namespace Odr.Cli;

/// <summary>
/// The option values <c>odr fit</c> and <c>odr batch</c> share, read and checked one way: choices,
/// comma-separated lists and numbers, parameter names, bounds. Every refusal is a <see cref="CliException"/>
/// whose message names the option.
/// </summary>
internal static class OptionParsing
{
    /// <summary>The value, lower-cased, when it is one of <paramref name="allowed"/>.</summary>
    public static string Choice(string value, string option, params string[] allowed)
    {
        string v = value.Trim().ToLowerInvariant();
        if (allowed.Contains(v)) return v;
        throw new CliException($"{option} must be one of {string.Join(", ", allowed)}; got '{value}'");
    }

    /// <summary>Refuses a value that is given and not a positive finite number.</summary>
    public static void CheckPositive(double? value, string option)
    {
        if (value is { } v && !(v > 0 && double.IsFinite(v))) throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{option} must be a positive number; got {v}"));
    }

    /// <summary>The comma-separated items, trimmed; an empty item is refused.</summary>
    public static List<string> Split(string text, string option)
    {
        var items = text.Split(',').Select(s => s.Trim()).ToList();
        if (items.Count == 0 || items.Any(s => s.Length == 0)) throw new CliException($"{option} '{text}' has an empty item; separate items with commas");
        return items;
    }

    /// <summary>The items of a column list, or null when the option was not given.</summary>
    public static List<string>? ColumnList(string? text, string option) => text is null ? null : Split(text, option);

    /// <summary>Comma-separated numbers (never NaN; infinities only where allowed).</summary>
    public static double[] Numbers(string text, string option, bool allowInfinite)
    {
        var items = Split(text, option);
        var result = new double[items.Count];
        for (int k = 0; k < items.Count; k++)
        {
            if (!CsvTable.TryParseNumber(items[k], out result[k]) || double.IsNaN(result[k]))
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{option}: '{items[k]}' (item {k + 1}) is not a number"));
            }
            if (!allowInfinite && double.IsInfinity(result[k]))
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{option}: item {k + 1} must be finite; got {items[k]}"));
            }
        }
        return result;
    }

    /// <summary>"B0" or "B0..Bk" for p parameters.</summary>
    public static string ParameterRange(int p) => p == 1 ? "B0" : string.Create(CultureInfo.InvariantCulture, $"B0..B{p - 1}");

    /// <summary>The message for a list with the wrong number of values for p parameters.</summary>
    public static string CountMessage(string option, int given, int p, string advice) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{option} has {given} value{(given == 1 ? "" : "s")} but the model uses {p} parameter{(p == 1 ? "" : "s")} ({ParameterRange(p)}); {advice}");

    /// <summary>One bound per parameter (inf and -inf for none).</summary>
    public static double[] Bounds(string text, string option, int p)
    {
        var values = Numbers(text, option, allowInfinite: true);
        if (values.Length != p) throw new CliException(CountMessage(option, values.Length, p, "use inf or -inf for no bound"));
        return values;
    }

    /// <summary>
    /// The box must be one a fit can start in: lower below upper for every parameter (lower = upper is
    /// refused: that parameter is fixed, which --fix says without bounds) and, when the starting values
    /// are known, beta0 inside it. The library refuses the same with its own argument names; here the
    /// message names the options and the parameter.
    /// </summary>
    public static void CheckBounds(double[]? lower, double[]? upper, double[]? beta0, int p)
    {
        for (int k = 0; k < p; k++)
        {
            double lo = lower?[k] ?? double.NegativeInfinity, hi = upper?[k] ?? double.PositiveInfinity;
            if (lo > hi)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--lower is above --upper for B{k}: {lo:R} > {hi:R}"));
            }
            if (lo == hi)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"--lower equals --upper for B{k} ({lo:R}): to hold a parameter at a value, give that value in --beta0 and name it in --fix"));
            }
            if (beta0 is not null && (beta0[k] < lo || beta0[k] > hi))
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"--beta0: the starting value of B{k}, {beta0[k]:R}, lies outside its bounds [{lo:R}, {hi:R}]; start inside the box"));
            }
        }
    }

    /// <summary>The index of a parameter named B7 or B[7] (for --fix).</summary>
    public static int ParameterIndex(string name, int p)
    {
        string t = name.Trim();
        string digits = t.Length > 3 && t.StartsWith("B[", StringComparison.OrdinalIgnoreCase) && t.EndsWith(']') ? t[2..^1]
            : t.Length > 1 && (t[0] == 'B' || t[0] == 'b') ? t[1..]
            : "";
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int k))
        {
            throw new CliException($"--fix: '{name}' is not a parameter name; parameters are {ParameterRange(p)} (B[k] also works)");
        }
        if (k >= p) throw new CliException($"--fix: the model has no parameter {t}; parameters are {ParameterRange(p)}");
        return k;
    }

    /// <summary>
    /// The weight of a standard deviation s (1/s²) or of a weight w (w itself). A weight must be a positive
    /// normal number: a subnormal one (below 2.2e-308, e.g. 5e-324) keeps only a few significant bits, and
    /// ODRPACK's weighted residuals √w·ε underflow with it, so the fit would silently treat the data as exact.
    /// The same bound applies to 1/s² (s above about 6.7e153 or below about 7.5e-155).
    /// </summary>
    public static double WeightOf(double value, bool isWeight, string where, string given)
    {
        string what = isWeight ? "weight" : "standard deviation";
        if (!(value > 0) || !double.IsFinite(value)) throw new CliException($"{where}: a {what} must be positive and finite; got {given}");
        double w = isWeight ? value : 1.0 / (value * value);
        if (!double.IsNormal(w) || double.IsInfinity(w))
        {
            string range = isWeight ? "weights must lie between 2.2e-308 and 1.8e308" : "its weight 1/s² must lie between 2.2e-308 and 1.8e308, so s between 7.5e-155 and 6.7e153";
            throw new CliException($"{where}: the {what} {given} is out of range ({range}); rescale the weights or the data");
        }
        return w;
    }

    /// <summary>The fit type digit of JOB for --fit odr|ols|implicit.</summary>
    public static int FitType(string fit) => fit switch { "ols" => 2, "implicit" => 1, _ => 0 };

    /// <summary>The derivative digit of JOB for --deriv analytic|forward|central.</summary>
    public static int Derivative(string deriv) => deriv switch { "forward" => 0, "central" => 1, _ => 2 };

    /// <summary>Rows of a [variables, n] array from one array per variable (a single variable stays a vector).</summary>
    public static NdArray Stack(double[][] columns, int n)
    {
        if (columns.Length == 1) return columns[0];
        var result = new double[columns.Length, n];
        for (int r = 0; r < columns.Length; r++)
        {
            for (int i = 0; i < n; i++) result[r, i] = columns[r][i];
        }
        return result;
    }
}
