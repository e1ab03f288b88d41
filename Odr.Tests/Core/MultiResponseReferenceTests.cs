using System.Text.Json;
using Odr.Tests.Support;

namespace Odr.Tests.Core;

/// <summary>
/// ODR with one input and two responses against scipy.odr's ODRPACK (Data/multiresponse-arithmetic.json,
/// made by Data/make_multiresponse_case.py). The model is plain arithmetic, so its values are the same
/// bits here as in numpy, and the port must take ODRPACK's path exactly: the same iterations, model
/// evaluations and beta to the bit. The larger case runs the parallel and SIMD per-observation passes.
/// </summary>
public class MultiResponseReferenceTests
{
    public static IEnumerable<object[]> Sizes => new[] { new object[] { 0 }, new object[] { 1 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void TwoResponsesFollowOdrpackBitForBit(int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "multiresponse-arithmetic.json")));
        var c = doc.RootElement.GetProperty("cases")[index];
        int n = c.GetProperty("n").GetInt32();
        var x = c.GetProperty("x").Doubles();
        var rows = c.GetProperty("y").EnumerateArray().Select(r => r.Doubles()).ToArray();
        var y = rows[0].Concat(rows[1]).ToArray();
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
}
