namespace Odr.Tests.Api;

/// <summary>
/// An analytic Jacobian may leave its zero derivatives unwritten, as into a fresh array: the
/// destination is cleared before every call. Without that it would still hold the previous
/// iteration's Jacobian as the solver left it — weighted by a full WE (which mixes the responses'
/// rows) or packed by IFIXB (which moves the free columns forward) — and the fit would silently
/// follow a wrong Jacobian (seen: a different beta, 6 iterations instead of 4).
/// </summary>
public class JacobianDestinationTests
{
    public static TheoryData<string, int> Cases => new()
    {
        { "full-we", 1 },
        { "full-we", 2 },
        { "ifixb", 1 },
        { "ifixb", 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void JacobianThatSkipsZerosFitsAsOneThatWritesThem(string setup, int dop)
    {
        var all = Build(setup, dop, writeZeros: true).Run();
        var nonzeros = Build(setup, dop, writeZeros: false).Run();
        Assert.Equal(all.Iterations, nonzeros.Iterations);
        Assert.Equal(all.Info, nonzeros.Info);
        for (int k = 0; k < all.Beta.Length; k++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(all.Beta[k]), BitConverter.DoubleToInt64Bits(nonzeros.Beta[k]));
        }
        Assert.Equal(all.SdBeta, nonzeros.SdBeta);
    }

    /// <summary>Two responses, y0 = b0 + b1·x and y1 = b2·exp(b3·x): half of each fjacb row is zero.
    /// With dop 2 the 10,000 observations are evaluated in chunks on two threads.</summary>
    private static ODR Build(string setup, int dop, bool writeZeros)
    {
        const int N = 10_000;
        var rng = new Random(12);
        var x = new double[N];
        var y = new double[2, N];
        for (int i = 0; i < N; i++)
        {
            double t = 1.0 * i / N;
            x[i] = t + (0.01 * (rng.NextDouble() - 0.5));
            y[0, i] = 1 + (2 * t) + (0.02 * (rng.NextDouble() - 0.5));
            y[1, i] = (0.5 * Math.Exp(1.2 * t)) + (0.02 * (rng.NextDouble() - 0.5));
        }
        var model = new Model(
            (b, xs, f) =>
            {
                for (int i = 0; i < xs.Length; i++)
                {
                    f[2 * i] = b[0] + (b[1] * xs[i]);
                    f[(2 * i) + 1] = b[2] * Math.Exp(b[3] * xs[i]);
                }
            },
            (b, xs, j) =>
            {
                for (int i = 0; i < xs.Length; i++)
                {
                    double e = Math.Exp(b[3] * xs[i]);
                    j[8 * i] = 1;
                    j[(8 * i) + 1] = xs[i];
                    j[(8 * i) + 6] = e;
                    j[(8 * i) + 7] = b[2] * xs[i] * e;
                    if (!writeZeros) continue;
                    j[(8 * i) + 2] = j[(8 * i) + 3] = j[(8 * i) + 4] = j[(8 * i) + 5] = 0;
                }
            },
            (b, xs, j) =>
            {
                for (int i = 0; i < xs.Length; i++)
                {
                    j[2 * i] = b[1];
                    j[(2 * i) + 1] = b[2] * b[3] * Math.Exp(b[3] * xs[i]);
                }
            });
        var data = setup == "full-we"
            ? new Data(x, y, we: new double[,] { { 2.0, 0.5 }, { 0.5, 3.0 } })
            : new Data(x, y);
        var odr = new ODR(data, model, new[] { 0.8, 1.8, 0.6, 1.0 }, ifixb: setup == "ifixb" ? new[] { 0, 1, 1, 1 } : null)
        {
            MaxDegreeOfParallelism = dop,
            ParallelModelEvaluation = true,
        };
        odr.SetJob(deriv: 3);
        return odr;
    }
}
