using System.Globalization;
using System.Text.Json;

namespace Odr.Tests.Inference;

/// <summary>The NIST StRD problems of Data/inference/r-nls-reference.json (made by
/// make_r_reference.R with R's nls and MASS), set up as the same weighted least squares fits here.</summary>
internal static class RReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "inference", "r-nls-reference.json"))));

    public static IEnumerable<JsonElement> Cases => Document.Value.RootElement.GetProperty("cases").EnumerateArray();

    public static IEnumerable<object[]> Names => Cases.Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static JsonElement Case(string name) => Cases.First(c => c.GetProperty("name").GetString() == name);

    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray();

    public static double[][] Pairs(JsonElement e) => e.EnumerateArray().Select(Doubles).ToArray();

    public static Model ModelOf(string data) => data switch
    {
        "Misra1a" or "BoxBOD" => new Model((b, x) => b[0] * (1 - Math.Exp(-b[1] * x))),
        "Chwirut2" => new Model((b, x) => Math.Exp(-b[0] * x) / (b[1] + b[2] * x)),
        "DanWood" => new Model((b, x) => b[0] * Math.Pow(x, b[1])),
        "Rat43" => new Model((b, x) => b[0] / Math.Pow(1 + Math.Exp(b[1] - b[2] * x), 1 / b[3])),
        "Thurber" => new Model((b, x) => (b[0] + b[1] * x + b[2] * x * x + b[3] * x * x * x) / (1 + b[4] * x + b[5] * x * x + b[6] * x * x * x)),
        _ => throw new ArgumentException(data),
    };

    /// <summary>(x, y) of a NIST StRD data file: the rows after its last "Data:" line, y first.</summary>
    public static (double[] X, double[] Y) ReadNist(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "nist", name + ".dat"));
        int start = Array.FindLastIndex(lines, l => l.StartsWith("Data:", StringComparison.Ordinal)) + 1;
        var rows = lines.Skip(start).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return (rows.Select(r => r[1]).ToArray(), rows.Select(r => r[0]).ToArray());
    }

    /// <summary>The case's weighted OLS fit, run from R's estimates with tight tolerances and central differences.</summary>
    public static ODR Fit(JsonElement c)
    {
        string data = c.GetProperty("data").GetString()!;
        var (x, y) = ReadNist(data);
        double[]? w = c.GetProperty("weights").GetString() switch
        {
            "none" => null,
            "x" => x.ToArray(),
            "1/x" => x.Select(v => 1 / v).ToArray(),
            var s => throw new ArgumentException(s),
        };
        var odr = new ODR(new Data(x, y, we: w is null ? null : (NdArray)w), ModelOf(data), Doubles(c.GetProperty("beta")), sstol: 1e-15, partol: 1e-15, maxit: 200);
        odr.SetJob(fitType: 2, deriv: 1);
        odr.Run();
        return odr;
    }
}
