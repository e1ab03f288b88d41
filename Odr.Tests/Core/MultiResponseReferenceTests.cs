using System.Text.Json;
using Odr.Tests.Support;

namespace Odr.Tests.Core;

/// <summary>
/// ODR with one input and two responses against scipy.odr's ODRPACK (Data/multiresponse-arithmetic.json,
/// made by Data/make_multiresponse_case.py). The model is plain arithmetic, so its values are the same
/// bits here as in numpy, and the port must take ODRPACK's path exactly: the same iterations, model
/// evaluations and beta to the bit. The data are made here by the script's integer arithmetic and
/// IEEE operations (a few values are checked against the script's). n = 5,000 runs the parallel and
/// SIMD per-observation passes, n = 30,000 also the trial point's one-pass prediction of large fits.
/// </summary>
public class MultiResponseReferenceTests
{
    public static IEnumerable<object[]> Sizes => new[] { new object[] { 0 }, new object[] { 1 }, new object[] { 2 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void TwoResponsesFollowOdrpackBitForBit(int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "multiresponse-arithmetic.json")));
        var c = doc.RootElement.GetProperty("cases")[index];
        int n = c.GetProperty("n").GetInt32();
        var (x, y) = MakeData(n);
        var samples = c.GetProperty("samples");
        var probes = samples.GetProperty("index").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        Assert.Equal(samples.GetProperty("x").Doubles(), probes.Select(k => x[k]));
        Assert.Equal(samples.GetProperty("y0").Doubles(), probes.Select(k => y[k]));
        Assert.Equal(samples.GetProperty("y1").Doubles(), probes.Select(k => y[n + k]));
        var model = new Model((b, xs, f) =>
        {
            for (int i = 0; i < xs.Length; i++)
            {
                f[2 * i] = b[0] + b[1] * xs[i];
                f[(2 * i) + 1] = b[2] + b[3] * xs[i] + b[4] * xs[i] * xs[i];
            }
        });
        var odr = new ODR(new Data(x, NdArray.FromShape(new[] { 2, n }, y)), model, c.GetProperty("beta0").Doubles());
        var output = odr.Run();

        Assert.Equal(c.GetProperty("info").GetInt32(), output.Info);
        Assert.Equal(c.GetProperty("niter").GetInt32(), output.Iterations);
        Assert.Equal(c.GetProperty("nfev").GetInt32(), output.FunctionEvaluations);
        Assert.Equal(c.GetProperty("beta").Doubles(), output.Beta);
    }

    /// <summary>make_multiresponse_case.py's data, operation for operation.</summary>
    internal static (double[] X, double[] Y) MakeData(int n)
    {
        var x = new double[n];
        var y = new double[2 * n];
        for (long i = 0; i < n; i++)
        {
            double u1 = ((i * 7919) % 1009) / 1009.0 - 0.5;
            double u2 = ((i * 104729) % 1013) / 1013.0 - 0.5;
            double u3 = ((i * 1299709) % 1019) / 1019.0 - 0.5;
            double xi = 4.0 * i / n + 0.01 * u1;
            x[i] = xi;
            y[i] = 1.0 + 2.0 * xi + 0.05 * u2;
            y[n + i] = 0.5 - 0.3 * xi + 0.2 * xi * xi + 0.05 * u3;
        }
        return (x, y);
    }
}
